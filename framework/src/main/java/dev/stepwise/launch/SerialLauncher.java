package dev.stepwise.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Launcher {@code serial}: runs the jobs one after another inside this JVM (no settings).
 * A failing job is reported and the next one starts; a job ended by a stop signal ({@code
 * run.stop_signals}) ends the sweep, the remaining jobs stay pending for {@code --resume}.
 */
public final class SerialLauncher implements Launcher {
  /** The settings of {@code launcher=serial}: none. */
  public record Settings() {}

  private final LaunchContext ctx;

  /** @param ctx the sweep's context */
  public SerialLauncher(LaunchContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public List<JobResult> launch(MultirunDir dir, List<SweepJob> jobs, Consumer<JobResult> done) {
    List<JobResult> out = new ArrayList<>();
    for (SweepJob j : jobs) {
      long t0 = System.nanoTime();
      int code = ctx.inProcess().run(ctx.jobArgs(j, dir.jobDir(j.index())), dir.jobLog(j.index()));
      JobResult r = new JobResult(j, code == 0 ? "ok" : "failed", code, (System.nanoTime() - t0) / 1e9);
      done.accept(r);
      out.add(r);
      if (dev.stepwise.run.StopSignals.requested()) {
        break; // a stop signal ended this job: the rest stay pending for --resume
      }
    }
    return out;
  }
}
