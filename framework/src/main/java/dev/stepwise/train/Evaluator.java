package dev.stepwise.train;

import java.util.Map;

/**
 * Periodic evaluation during training (every {@code trainer.eval_steps}) and once at the end.
 * Returns metrics with the {@code eval/} prefix, e.g. {@code eval/accuracy} in [0, 1].
 */
public interface Evaluator {
  /**
   * @param step the global step at which the evaluation runs
   * @return metric name to value
   */
  Map<String, Double> evaluate(long step);
}
