package dev.stepwise.run;

import java.util.Map;

/**
 * Receives the metrics of a run. Implementations: console lines, the run directory's
 * {@code metrics.jsonl}, and later W&B offline run files; several run at once.
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

  /** Flushes and releases files. */
  @Override
  void close();
}
