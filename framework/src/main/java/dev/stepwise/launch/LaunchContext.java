package dev.stepwise.launch;

import dev.stepwise.config.ComposedConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What a launcher needs besides its own settings.
 *
 * @param config the sweep's config composed without the swept overrides (launcher settings,
 *     config name)
 * @param jvm the command that starts this program in a child JVM
 * @param baseArgs the arguments every job shares (e.g. {@code -cp DIR -cn NAME}), absolute paths
 * @param cwd the working directory of the jobs
 * @param inProcess runs one job in this JVM (the {@code serial} launcher)
 * @param out where progress lines go
 */
public record LaunchContext(ComposedConfig config, JvmCommand jvm, List<String> baseArgs, Path cwd,
    InProcessRunner inProcess, PrintStream out) {

  /** Runs one job inside this JVM. */
  @FunctionalInterface
  public interface InProcessRunner {
    /**
     * @param args the job's full argument list (base arguments, overrides, {@code ++run.dir=...})
     * @param log the job's log file, where errors are written
     * @return the job's exit code (0 ok, 2 user error, 1 crash)
     */
    int run(List<String> args, Path log);
  }

  /** @return the full argument list of a job: base arguments, its overrides, its run directory */
  public List<String> jobArgs(SweepJob job, Path jobDir) {
    List<String> a = new java.util.ArrayList<>(baseArgs);
    a.addAll(job.overrides());
    a.add("++run.dir=" + jobDir);
    return a;
  }
}
