package dev.stepwise.caller;

import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.inject.Registry;
import dev.stepwise.inject.RunLauncher;
import dev.stepwise.inject.TrackerFactory;
import dev.stepwise.run.RunJob;

/**
 * {@link RunLauncher#launchWithoutEngine}: the same run directory, provenance, trackers and
 * failure handling as every other job, without the tensor engine. {@code
 * api-caller.jar} only talks HTTP, so it neither loads nor bundles the PyTorch natives.
 */
public final class CallerLauncher {
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
    new RunLauncher(config, trackers).launchWithoutEngine(job);
  }
}
