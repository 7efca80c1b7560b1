package dev.stepwise.rl;

import dev.stepwise.generate.Completion;
import dev.stepwise.task.Problem;

/**
 * A reward source for RL: scores one sampled completion of a problem (TRL's {@code
 * reward_funcs}: several functions are combined as a weighted sum, {@code grpo.reward_weights}).
 *
 * <p>Outcome rewards (the task's answer check, {@link AnswerReward}) score the whole completion.
 * Process rewards (a PRM, issue 6's step PPO) score each step: such an implementation returns
 * one score per step from {@link #stepScores} and, for sequence-level algorithms like GRPO, an
 * aggregate of them (min, last or mean, its choice) from {@link #score}.
 *
 * <p>Implementations must be deterministic given their inputs and return finite values; a NaN
 * or infinity makes the GRPO batch fail with an error naming the function.
 */
public interface RewardFunction {
  /** @return the name used in metrics ({@code rewards/<name>/mean}) */
  String name();

  /**
   * @param problem the problem whose prompt was completed
   * @param completion the sampled completion (text cut at a stop string, token ids with EOS)
   * @return the reward of the whole completion, finite (outcome: 1 correct, 0 wrong)
   */
  double score(Problem problem, Completion completion);

  /**
   * Per-step rewards, aligned with the task's {@code splitSteps(completion.text())}.
   *
   * @return one finite score per step; the default (outcome reward) gives 0 to every step but
   *     the last, which gets {@link #score}
   */
  default double[] stepScores(Problem problem, Completion completion, int numSteps) {
    double[] s = new double[Math.max(numSteps, 1)];
    s[s.length - 1] = score(problem, completion);
    return s;
  }
}
