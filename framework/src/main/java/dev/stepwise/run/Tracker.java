package dev.stepwise.run;

import java.util.Map;

/**
 * Receives the metrics of a run. Implementations: console lines, the run directory's
 * {@code metrics.jsonl} and W&B offline run files ({@code dev.stepwise.run.wandb}); several run
 * at once.
 *
 * <p>Keys follow the Hugging Face Trainer and TRL ({@code loss}, {@code grad_norm},
 * {@code learning_rate}, {@code eval/accuracy}, {@code rewards/chosen}, ...). Values are
 * numbers or strings.
 */
public interface Tracker extends AutoCloseable {
  /**
   * Records one step's metrics.
   *
   * @param step the global optimizer step (0-based count of completed updates)
   * @param metrics key to value; never modified by the tracker
   */
  void log(long step, Map<String, ?> metrics);

  /** Records final values (last eval, test accuracy); default: logged like a step. */
  default void summary(Map<String, ?> values) {}

  /**
   * Tells the tracker that the job failed, before {@link #close()}; a tracker that records an
   * exit status (W&B) records a non-zero one. Default: nothing.
   *
   * @param error what the job threw
   */
  default void fail(Throwable error) {}

  /** Flushes and releases files. */
  @Override
  void close();
}
