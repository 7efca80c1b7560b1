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
import dev.stepwise.run.Tracker;
import dev.stepwise.run.Trackers;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job: sets the engine's threads, creates the run directory with its provenance files
 * and {@code run.log}, opens the configured trackers, runs the job and closes everything.
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
   * @param job the job to run
   * @throws Exception whatever the job throws
   */
  public void launch(RunJob job) throws Exception {
    var c = config.config();
    int threads = c.getInt("run.num_threads");
    if (threads <= 0) {
      threads = Runtime.getRuntime().availableProcessors();
    }
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    String dirValue = c.getIsNull("run.dir") ? null : c.getString("run.dir");
    RunDir dir = RunDir.create(dirValue, config.configName(), LocalDateTime.now());
    FileAppender<ILoggingEvent> log = RunLog.attach(dir.path().resolve("run.log"));
    try {
      Engine engine = Engine.getEngine("PyTorch");
      List<String> env =
          List.of(
              "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
              "djl: " + Engine.getDjlVersion(),
              "engine: " + engine.getEngineName() + " " + engine.getVersion(),
              "threads: " + threads,
              "cores: " + Runtime.getRuntime().availableProcessors(),
              "os: " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      dir.writeProvenance(config.render(), config.overrides(), env);
      LOG.info("Run directory: {}", dir.path());
      List<Tracker> opened = new ArrayList<>();
      for (String name : trackerNames(c)) {
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

  /**
   * The tracker names: {@code tracker} as a list ({@code [console, jsonl]}), or as an object
   * whose keys are the names and values their settings ({@code tracker.wandb.project}), sorted.
   */
  static List<String> trackerNames(com.typesafe.config.Config c) {
    if (c.getValue("tracker").valueType() == com.typesafe.config.ConfigValueType.OBJECT) {
      return c.getObject("tracker").keySet().stream().sorted().toList();
    }
    return c.getStringList("tracker");
  }
}
