package dev.stepwise.launch;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Composer;
import dev.stepwise.config.ConfigSource;
import dev.stepwise.config.OverrideParser;
import dev.stepwise.config.UserError;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a sweep ({@code -m}) or resumes one ({@code --resume DIR}).
 *
 * <p>A fresh sweep: compose the config without the swept overrides (for {@code sweep.params},
 * {@code sweep.dir} and the launcher), expand the jobs ({@link SweepPlan}), compose and resolve
 * every job's config up front (a typo fails before anything starts), create the sweep directory
 * and {@code multirun.conf}, launch, report each job the moment it ends (a failure on stderr
 * with its log path), write {@code summary.tsv}. A resume re-runs only the jobs whose
 * {@code status} is not {@code ok} and rewrites the summary with every job.
 *
 * <p>Exit code: 0 when every job succeeded (or was only submitted), 1 when one failed.
 */
public final class Multirun {
  private Multirun() {}

  /**
   * @param source the conf root and primary config
   * @param baseArgs the arguments every job shares (absolute {@code -cp}, {@code -cn}, ...)
   * @param overrides the command-line overrides with sweep syntax
   * @param env the environment for resolution
   * @param cwd the working directory (sweep directory default is relative to it)
   * @param jvm the child JVM command
   * @param inProcess runs one job in this JVM
   * @param out progress output
   * @param err failure reports
   * @param resume an existing sweep directory to resume, or null for a fresh sweep
   */
  public record Request(ConfigSource source, List<String> baseArgs, List<String> overrides, Map<String, String> env,
      Path cwd, JvmCommand jvm, LaunchContext.InProcessRunner inProcess, PrintStream out, PrintStream err,
      Path resume) {}

  /**
   * @param r the request
   * @return 0 when every job succeeded or was submitted, 1 when a job failed
   * @throws UserError for bad sweeps, job configs or launcher settings
   * @throws Exception when the launcher cannot run
   */
  public static int run(Request r) throws Exception {
    List<String> fixed = new ArrayList<>();
    for (String o : r.overrides()) {
      int eq = o.indexOf('=');
      if (eq < 0 || !SweepValues.isSweep(o.substring(eq + 1))) fixed.add(o);
    }
    ComposedConfig base = Composer.compose(r.source(), OverrideParser.parseAll(fixed)).resolve(r.env());
    Launchers.validate(base);
    String launcherName = Launchers.name(base);
    LaunchContext ctx = new LaunchContext(base, r.jvm(), r.baseArgs(), r.cwd(), r.inProcess(), r.out());
    Launcher launcher = Launchers.create(launcherName, ctx);
    MultirunDir dir;
    List<SweepJob> all;
    List<SweepJob> todo;
    Map<Integer, JobResult> results = new LinkedHashMap<>();
    if (r.resume() == null) {
      all = SweepPlan.expand(r.overrides(), params(base.config()), r.source().confRoot());
      for (SweepJob j : all) check(r, j);
      Config c = base.config();
      String configured = c.hasPath("sweep.dir") && !c.getIsNull("sweep.dir") ? c.getString("sweep.dir") : null;
      dir = MultirunDir.create(configured, r.cwd(), base.configName(), LocalDateTime.now());
      dir.writeManifest(base.configName(), r.baseArgs(), launcherName, all);
      todo = all;
      r.out().println("[sweep] " + all.size() + " jobs, launcher " + launcherName + ", directory " + dir.path());
    } else {
      dir = MultirunDir.open(r.resume());
      all = dir.manifestJobs();
      todo = new ArrayList<>();
      for (SweepJob j : all) {
        JobResult old = dir.readStatus(j);
        if (old.ok()) results.put(j.index(), old);
        else todo.add(j);
      }
      r.out().println("[sweep] resuming " + dir.path() + ": " + todo.size() + " of " + all.size()
          + " jobs did not finish, re-running them with launcher " + launcherName);
    }
    List<JobResult> ran = launcher.launch(dir, todo, res -> report(r, dir, res));
    for (JobResult res : ran) results.put(res.job().index(), res);
    List<JobResult> ordered = new ArrayList<>();
    for (SweepJob j : all) ordered.add(results.getOrDefault(j.index(), new JobResult(j, "pending", -1, 0)));
    Path summary = SummaryTsv.write(dir, ordered);
    long failed = ordered.stream().filter(x -> x.status().equals("failed")).count();
    long ok = ordered.stream().filter(JobResult::ok).count();
    r.out().println("[sweep] " + ok + " ok, " + failed + " failed, " + (ordered.size() - ok - failed)
        + " pending; summary " + summary);
    if (failed > 0) r.err().println("[sweep] " + failed + " job(s) failed; re-run them with --resume " + dir.path());
    if (dev.stepwise.run.StopSignals.requested()) {
      String sig = dev.stepwise.run.StopSignals.signal();
      throw new dev.stepwise.run.StopRequested(sig, "sweep stopped by SIG" + sig + "; continue it with --resume " + dir.path());
    }
    return failed > 0 ? 1 : 0;
  }

  private static synchronized void report(Request r, MultirunDir dir, JobResult res) {
    if (res.status().equals("pending")) return;
    dir.writeStatus(res);
    String what = String.format("[sweep] job %d %s after %.1f s: %s", res.job().index(),
        res.ok() ? "ok" : "FAILED (exit " + res.exitCode() + ")", res.wallSeconds(), res.job().overridesText());
    if (res.ok()) {
      r.out().println(what);
    } else {
      r.err().println(what + "; log: " + dir.jobLog(res.job().index()));
    }
  }

  private static void check(Request r, SweepJob j) {
    try {
      Composer.compose(r.source(), OverrideParser.parseAll(j.overrides())).resolve(r.env());
    } catch (UserError e) {
      throw new UserError("Sweep job " + j.index() + " (" + j.overridesText() + "): " + e.getMessage(), e);
    }
  }

  /** @return {@code sweep.params} flattened to dotted key -> sweep text (lists become {@code a,b}) */
  static Map<String, String> params(Config c) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!c.hasPath("sweep.params")) return out;
    for (Map.Entry<String, ConfigValue> e : c.getConfig("sweep.params").entrySet()) {
      String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
      Object v = e.getValue().unwrapped();
      String text = v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
      out.put(key, text);
    }
    return out;
  }
}
