package dev.stepwise.launch;

import dev.stepwise.cli.Cli;
import dev.stepwise.cli.CliIo;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.run.RunSettings;
import dev.stepwise.run.StopSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A tiny real program for the requeue test: installs the stop handlers of {@code run.*} as every
 * job does, then counts {@code steps} steps of 100 ms from the step saved in {@code
 * <run.dir>/progress}; appends {@code start <step> <SLURM_RESTART_COUNT>} and one {@code step
 * <n>} line per step to {@code <marks>/runs.txt}. On a stop signal it saves the step reached
 * (written to a temporary file and renamed) and stops through {@link StopSignals#check()}, so the
 * CLI exits with 128 + the signal; at the end it writes {@code metrics.jsonl}.
 */
public final class StopProbeMain {
  private StopProbeMain() {}

  /** Entry point for child JVMs. */
  public static void main(String[] args) {
    System.exit(Cli.run("stop-probe", args, StopProbeMain::job, CliIo.system(), StopProbeMain.class));
  }

  static void job(ComposedConfig cfg) throws IOException, InterruptedException {
    var c = cfg.config();
    RunSettings run = cfg.bind("run", RunSettings.class);
    StopSignals.install(run.stopSignals(), run.checkpointOnStop(), "run");
    Path dir = Files.createDirectories(Path.of(run.dir()));
    Path marks = Path.of(c.getString("marks"));
    Path progress = dir.resolve("progress");
    int step = Files.exists(progress) ? Integer.parseInt(Files.readString(progress).strip()) : 0;
    mark(marks, "start " + step + " " + System.getenv().getOrDefault("SLURM_RESTART_COUNT", "0"));
    for (int total = c.getInt("steps"); step < total; ) {
      Thread.sleep(100);
      step++;
      mark(marks, "step " + step);
      if (StopSignals.requested()) {
        Path tmp = dir.resolve("progress.tmp");
        Files.writeString(tmp, step + "\n");
        Files.move(tmp, progress, StandardCopyOption.ATOMIC_MOVE);
        StopSignals.check();
      }
    }
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"summary\":true,\"steps\":" + step + "}\n");
  }

  private static void mark(Path marks, String line) throws IOException {
    Files.writeString(marks.resolve("runs.txt"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
