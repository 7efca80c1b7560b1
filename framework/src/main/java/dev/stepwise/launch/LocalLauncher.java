package dev.stepwise.launch;

import dev.stepwise.config.Nullable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Launcher {@code local}: a pool of {@code launcher.n_jobs} child JVMs on this machine, each job
 * its own process (same java, JVM options and class path, plus {@code launcher.jvm_args}), its
 * standard output and error in {@code <job>/job.log}.
 */
public final class LocalLauncher implements Launcher {
  /**
   * @param nJobs how many jobs run at once (at least 1)
   * @param jvmArgs extra JVM options for the children, e.g. {@code [-Xmx2g]}; null for none
   */
  public record Settings(int nJobs, @Nullable List<String> jvmArgs) {
    /** Validates. */
    public Settings {
      if (nJobs < 1) throw new dev.stepwise.config.UserError("launcher.n_jobs must be at least 1, got " + nJobs);
    }
  }

  private final Settings settings;
  private final LaunchContext ctx;

  /** @param settings {@code launcher.*} @param ctx the sweep's context */
  public LocalLauncher(Settings settings, LaunchContext ctx) {
    this.settings = settings;
    this.ctx = ctx;
  }

  @Override
  public List<JobResult> launch(MultirunDir dir, List<SweepJob> jobs, Consumer<JobResult> done) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(settings.nJobs());
    try {
      List<Future<JobResult>> fs = new ArrayList<>();
      for (SweepJob j : jobs) fs.add(pool.submit(() -> {
        JobResult r = runOne(dir, j);
        done.accept(r);
        return r;
      }));
      List<JobResult> out = new ArrayList<>();
      for (Future<JobResult> f : fs) out.add(f.get());
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private JobResult runOne(MultirunDir dir, SweepJob j) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(ctx.jvm().argv());
    if (settings.jvmArgs() != null) cmd.addAll(1, settings.jvmArgs());
    cmd.addAll(ctx.jobArgs(j, dir.jobDir(j.index())));
    java.nio.file.Files.createDirectories(dir.jobDir(j.index()));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).directory(ctx.cwd().toFile()).redirectErrorStream(true)
        .redirectOutput(dir.jobLog(j.index()).toFile()).start();
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
    return new JobResult(j, code == 0 ? "ok" : "failed", code, (System.nanoTime() - t0) / 1e9);
  }
}
