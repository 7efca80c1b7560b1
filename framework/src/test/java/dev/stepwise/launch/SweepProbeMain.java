package dev.stepwise.launch;

import dev.stepwise.cli.Cli;
import dev.stepwise.cli.CliIo;
import dev.stepwise.config.ComposedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A tiny real program for sweep tests: writes {@code metrics.jsonl} ({@code score = x * 10}) into
 * {@code run.dir}, appends "x y" to {@code <marks>/ran.txt} and whether its JVM has the Vector API
 * module ("true"/"false") to {@code <marks>/vector.txt}, and fails (exit 1) when the file
 * {@code <marks>/fail-<x>-<y>} exists.
 */
public final class SweepProbeMain {
  private SweepProbeMain() {}

  /** Entry point for child JVMs. */
  public static void main(String[] args) {
    System.exit(run(args, CliIo.system()));
  }

  static int run(String[] args, CliIo io) {
    return Cli.run("probe", args, SweepProbeMain::job, io, SweepProbeMain.class);
  }

  static void job(ComposedConfig cfg) throws IOException {
    var c = cfg.config();
    String x = c.getString("x");
    String y = c.getString("y");
    Path marks = Path.of(c.getString("marks"));
    Files.writeString(marks.resolve("ran.txt"), x + " " + y + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Files.writeString(marks.resolve("vector.txt"), ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (Files.exists(marks.resolve("fail-" + x + "-" + y))) throw new IllegalStateException("probe asked to fail");
    Path dir = Path.of(c.getString("run.dir"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":1,\"score\":" + (Double.parseDouble(x) * 10) + "}\n"
        + "{\"summary\":true,\"final_score\":" + (Double.parseDouble(x) * 10) + ",\"y\":\"" + y + "\"}\n");
  }
}
