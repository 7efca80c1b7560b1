package dev.stepwise.caller;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.inject.Registry;
import dev.stepwise.inject.TrackerFactory;
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
 * {@link dev.stepwise.inject.RunLauncher} without the tensor engine: creates the run directory
 * with its provenance files and {@code run.log}, opens the trackers and runs the job. {@code
 * api-caller.jar} only talks HTTP, so it neither loads nor bundles the PyTorch natives.
 */
public final class CallerLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(CallerLauncher.class);
  private final ComposedConfig config;
  private final Registry<TrackerFactory> trackers;

  /** Injected. */
  @Inject
  public CallerLauncher(ComposedConfig config, Registry<TrackerFactory> trackers) {
    this.config = config;
    this.trackers = trackers;
  }

  /**
   * @param job the job to run
   * @throws Exception whatever the job throws
   */
  public void launch(RunJob job) throws Exception {
    var c = config.config();
    String dirValue = c.getIsNull("run.dir") ? null : c.getString("run.dir");
    RunDir dir = RunDir.create(dirValue, config.configName(), LocalDateTime.now());
    FileAppender<ILoggingEvent> log = RunLog.attach(dir.path().resolve("run.log"));
    try {
      List<String> env =
          List.of(
              "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
              "cores: " + Runtime.getRuntime().availableProcessors(),
              "os: " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      dir.writeProvenance(config.render(), config.overrides(), env);
      LOG.info("Run directory: {}", dir.path());
      List<Tracker> opened = new ArrayList<>();
      for (String name : c.getStringList("tracker")) {
        opened.add(trackers.get(name, Origins.where(c, "tracker")).create(dir));
      }
      try (Trackers all = new Trackers(opened)) {
        job.run(new RunContext(config, dir, all));
      }
    } finally {
      log.stop();
    }
  }
}
