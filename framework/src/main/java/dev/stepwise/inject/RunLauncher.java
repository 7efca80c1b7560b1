package dev.stepwise.inject;

import ai.djl.engine.Engine;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunDir;
import dev.stepwise.run.RunJob;
import dev.stepwise.run.RunLog;
import dev.stepwise.run.RunSettings;
import dev.stepwise.run.StopSignals;
import dev.stepwise.config.DidYouMean;
import dev.stepwise.config.UserError;
import dev.stepwise.run.Tracker;
import dev.stepwise.run.Trackers;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job: installs the stop-signal handlers ({@code run.stop_signals}, {@link StopSignals}),
 * sets the engine's threads and device ({@code run.device}), creates the run directory with its
 * provenance files and {@code run.log}, opens the configured trackers, runs the job and closes
 * everything (a job that stopped on a signal closes them with the signal's exit code).
 */
public final class RunLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(RunLauncher.class);
  private final ComposedConfig config;
  private final Registry<TrackerFactory> trackers;

  /** Injected. */
  @Inject
  public RunLauncher(ComposedConfig config, Registry<TrackerFactory> trackers) {
    this.config = config;
    this.trackers = trackers;
  }

  /**
   * The trackers to open, in order: the options chosen in config group {@code tracker}
   * ({@code tracker: [console, jsonl]}); a config composed without that group (such as a run
   * directory's resolved {@code config.conf} used by {@code rerun.sh}) opens the keys of its
   * {@code tracker} section in sorted order, or the names of a plain {@code tracker = [...]} list.
   *
   * @throws UserError when {@code tracker} holds a section that is not a selected tracker
   */
  static List<String> trackerNames(ComposedConfig config) {
    var c = config.config();
    if (!config.choices().containsKey("tracker")) {
      if (c.hasPath("tracker") && c.getValue("tracker").valueType() == com.typesafe.config.ConfigValueType.LIST) {
        return c.getStringList("tracker"); // a plain list of names, as before the tracker group
      }
      return c.hasPath("tracker") ? new java.util.TreeSet<>(c.getObject("tracker").keySet()).stream().toList() : List.of();
    }
    List<String> names = config.choiceList("tracker");
    if (c.hasPath("tracker") && c.getValue("tracker").valueType() != com.typesafe.config.ConfigValueType.OBJECT) {
      throw new UserError("'tracker' is a config group (" + Origins.where(c, "tracker") + "): select trackers with "
          + "tracker=[console,jsonl,...] on the command line or {override tracker: [...]} in the defaults list, "
          + "not with a plain 'tracker = ...' value");
    }
    if (c.hasPath("tracker")) {
      for (String k : new java.util.TreeSet<>(c.getObject("tracker").keySet())) {
        if (!names.contains(k)) {
          throw new UserError("Unknown key 'tracker." + k + "' (" + Origins.where(c, "tracker." + k) + "): it is not a "
              + "selected tracker " + names + "." + DidYouMean.hint(k, names) + " Select it with tracker=[...," + k + "]");
        }
      }
    }
    return names;
  }

  private void writeCommand(RunDir dir) {
    if (config.program().isEmpty()) return;
    dir.writeCommand(config.commandLine(), config.program(), java.nio.file.Path.of("").toAbsolutePath());
  }

  /**
   * @param job the job to run
   * @throws Exception whatever the job throws
   */
  public void launch(RunJob job) throws Exception {
    launch(job, true);
  }

  /**
   * Runs a job that needs no tensor engine (HTTP callers, JSONL transforms): as {@link
   * #launch(RunJob)} but never loads DJL, so {@code env.txt} has no engine lines and the jar may
   * leave out the native libraries.
   *
   * @param job the job to run
   * @throws Exception whatever the job throws
   */
  public void launchWithoutEngine(RunJob job) throws Exception {
    launch(job, false);
  }

  private void launch(RunJob job, boolean withEngine) throws Exception {
    var c = config.config();
    RunSettings run = config.bind("run", RunSettings.class);
    StopSignals.install(run.stopSignals(), run.checkpointOnStop(), Origins.where(c, "run"));
    dev.stepwise.launch.Launchers.validate(config);
    List<String> trackerNames = trackerNames(config);
    int threads = run.numThreads();
    if (threads <= 0) {
      threads = Runtime.getRuntime().availableProcessors();
    }
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    RunDir dir = RunDir.create(run.dir(), config.configName(), LocalDateTime.now());
    FileAppender<ILoggingEvent> log = RunLog.attach(dir.path().resolve("run.log"));
    try {
      List<String> env = new ArrayList<>();
      env.add("java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
      if (withEngine) {
        Engine engine = Engine.getEngine("PyTorch");
        env.add("djl: " + Engine.getDjlVersion());
        env.add("engine: " + engine.getEngineName() + " " + engine.getVersion());
        env.add("threads: " + threads);
        ai.djl.Device device = dev.stepwise.model.Devices.select(run.device(), run.precision());
        env.add("device: " + device + " (run.device=" + run.device() + ", GPUs seen: " + engine.getGpuCount()
            + ", precision " + run.precision() + ")");
        LOG.info("device {} (run.device={}), precision {}", device, run.device(), run.precision());
      }
      env.add("cores: " + Runtime.getRuntime().availableProcessors());
      env.add("os: " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      dir.writeProvenance(config.render(), config.overrides(), env);
      writeCommand(dir);
      LOG.info("Run directory: {}", dir.path());
      List<Tracker> opened = new ArrayList<>();
      for (String name : trackerNames) {
        opened.add(trackers.get(name, Origins.where(c, "tracker")).create(dir));
      }
      try (Trackers all = new Trackers(opened)) {
        try {
          job.run(new RunContext(config, dir, all));
        } catch (Throwable t) {
          all.fail(t); // e.g. the W&B exit record gets a non-zero code
          throw t;
        }
      }
    } finally {
      log.stop();
    }
  }
}
