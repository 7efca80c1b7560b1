package dev.stepwise.launch;

import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;
import dev.stepwise.run.StopSignals;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Launcher {@code slurm}: writes {@code <sweep>/sweep.sbatch} ({@link SlurmScript}), an array
 * job with one task per sweep job, and submits it with {@code sbatch --wait} when {@code sbatch}
 * is on the {@code PATH} and {@code launcher.dry_run} is false; then reads each job's
 * {@code status}. With {@code dry_run} (or without {@code sbatch}) it only writes the script and
 * every job stays {@code pending}.
 *
 * <p><b>Preemption and time limits.</b> Slurm sends {@code launcher.signal} (default SIGUSR1)
 * to the batch shell {@code launcher.signal_seconds} before the time limit; the script forwards
 * it (and SIGTERM/SIGINT) to the JVM, which stops cleanly ({@link StopSignals}: checkpoint, exit
 * 128 + signal). With {@code launcher.requeue = true} a task that ended with the signal's code is
 * requeued ({@code scontrol requeue <array job>_<task>}) and, when the config trains, runs again
 * with {@code trainer.resume=auto} in the same {@code run.dir}.
 */
public final class SlurmLauncher implements Launcher {
  /**
   * @param partition the Slurm partition, or null/blank for the cluster's default
   * @param gpusPerNode GPUs per task (0: none requested)
   * @param cpusPerTask CPUs per task
   * @param memGb memory per task in GiB
   * @param timeoutMin wall-time limit per task in minutes
   * @param arrayParallelism at most this many tasks at once (0: no limit)
   * @param dryRun only write the script
   * @param setup shell lines run before the JVM in each task (e.g. {@code module load java}); null for none
   * @param signal the stop signal Slurm sends {@code signalSeconds} before the time limit ({@code
   *     sbatch --signal=B:<signal>@<seconds>}), which the batch shell forwards to the JVM and the
   *     launcher adds to the job's {@code run.stop_signals}; null or blank for none
   * @param signalSeconds seconds before the time limit for {@code signal} (Slurm may send it up
   *     to a minute late)
   * @param requeue requeue a task that stopped on {@code signal} ({@code scontrol requeue}); the
   *     requeued task runs in the same run directory with {@code trainer.resume=auto}
   */
  public record Settings(@Nullable String partition, int gpusPerNode, int cpusPerTask, int memGb, int timeoutMin,
      int arrayParallelism, boolean dryRun, @Nullable List<String> setup, @Nullable String signal, int signalSeconds,
      boolean requeue) {}

  private final Settings settings;
  private final LaunchContext ctx;

  /** @param settings {@code launcher.*} @param ctx the sweep's context */
  public SlurmLauncher(Settings settings, LaunchContext ctx) {
    this.settings = settings;
    this.ctx = ctx;
  }

  @Override
  public List<JobResult> launch(MultirunDir dir, List<SweepJob> jobs, Consumer<JobResult> done) throws Exception {
    Path script = dir.path().resolve("sweep.sbatch");
    String text = SlurmScript.render(settings, ctx.config().configName(), dir.path(), ctx.cwd(), ctx.jvm(),
        jobArgs(settings, ctx), jobs, ctx.config().config().hasPath("trainer.resume"));
    MultirunDir.write(script, text);
    script.toFile().setExecutable(true);
    String sbatch = onPath("sbatch");
    if (settings.dryRun() || sbatch == null) {
      ctx.out().println("[sweep] wrote " + script + (settings.dryRun() ? " (launcher.dry_run=true)" : " (no sbatch on PATH)")
          + "; submit it with: sbatch " + script);
      List<JobResult> out = new ArrayList<>();
      for (SweepJob j : jobs) out.add(new JobResult(j, "pending", -1, 0));
      return out;
    }
    ctx.out().println("[sweep] submitting " + script + " (" + jobs.size() + " array tasks), waiting for them to end");
    Process p = new ProcessBuilder(sbatch, "--wait", script.toString()).directory(ctx.cwd().toFile())
        .redirectErrorStream(true).start();
    String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code = p.waitFor();
    ctx.out().println("[sweep] sbatch: " + answer);
    if (code != 0 && answer.contains("error")) throw new UserError("sbatch failed (exit " + code + "): " + answer);
    List<JobResult> out = new ArrayList<>();
    for (SweepJob j : jobs) {
      JobResult r = dir.readStatus(j);
      done.accept(r);
      out.add(r);
    }
    return out;
  }

  /**
   * @return the sweep's base arguments, plus {@code ++run.stop_signals=[...]} with {@code
   *     launcher.signal} added when the job would not stop on it otherwise
   * @throws UserError for an unknown {@code launcher.signal}
   */
  static List<String> jobArgs(Settings s, LaunchContext ctx) {
    List<String> out = new ArrayList<>(ctx.baseArgs());
    if (s.signal() == null || s.signal().isBlank()) return out;
    var c = ctx.config().config();
    String where = dev.stepwise.config.Origins.where(c, "launcher.signal");
    String signal = StopSignals.normalize(s.signal(), where);
    List<String> stop = new ArrayList<>(c.hasPath("run.stop_signals") ? c.getStringList("run.stop_signals") : StopSignals.DEFAULT);
    if (stop.stream().noneMatch(n -> StopSignals.normalize(n, where).equals(signal))) {
      stop.add(signal);
      out.add("++run.stop_signals=[" + String.join(",", stop) + "]");
    }
    return out;
  }

  /** @return the absolute path of {@code exe} on the {@code PATH}, or null */
  static String onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String d : path.split(File.pathSeparator)) {
      Path f = Path.of(d, exe);
      if (Files.isExecutable(f)) return f.toString();
    }
    return null;
  }
}
