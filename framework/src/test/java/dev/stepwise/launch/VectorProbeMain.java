package dev.stepwise.launch;

import dev.stepwise.run.RunDir;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny child program for {@link JvmCommandTest} and {@link SlurmScriptTest}: prints whether its
 * JVM has the Vector API module and the JVM command it would hand to its own children.
 *
 * <p>Output lines: {@code vector=true|false}, {@code jvmArgs=<shell-joined
 * JvmCommand.current(...).jvmArgs()>}, {@code startedAs=<shell-joined JvmCommand.startedAs(...)>}.
 * With arguments {@code --run-dir DIR} it also writes {@code DIR/command.txt} and
 * {@code DIR/rerun.sh} as a real run does ({@link RunDir#writeCommand}); other arguments are
 * ignored (a re-run passes config options, a Slurm task its overrides).
 */
public final class VectorProbeMain {
  private VectorProbeMain() {}

  /** Entry point for child JVMs. */
  public static void main(String[] args) {
    System.out.println("vector=" + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    System.out.println("jvmArgs=" + JvmCommand.shellJoin(JvmCommand.current(VectorProbeMain.class).jvmArgs()));
    List<String> program = JvmCommand.startedAs(VectorProbeMain.class);
    System.out.println("startedAs=" + JvmCommand.shellJoin(program));
    if (args.length >= 2 && args[0].equals("--run-dir")) {
      List<String> command = new ArrayList<>(program);
      command.addAll(List.of(args));
      RunDir.create(args[1], "probe", LocalDateTime.now()).writeCommand(command, program, Path.of("").toAbsolutePath());
    }
  }
}
