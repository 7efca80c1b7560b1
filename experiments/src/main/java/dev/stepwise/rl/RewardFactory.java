package dev.stepwise.rl;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.task.Task;

/**
 * Builds a named {@link RewardFunction} for a run (bound in {@link RlModule}'s {@code
 * MapBinder<String, RewardFactory>}; a PRM module adds its own key, e.g. {@code prm}).
 */
@FunctionalInterface
public interface RewardFactory {
  /**
   * @param cfg the run's composed config (a PRM reads its checkpoint path from it)
   * @param task the run's task
   * @return the reward function
   * @throws Exception when the reward's resources cannot be loaded
   */
  RewardFunction create(ComposedConfig cfg, Task task) throws Exception;
}
