package dev.stepwise.rl;

import dev.stepwise.generate.Completion;
import dev.stepwise.task.Problem;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Sequence rewards of many completions at once (a PRM overrides this to score them in batched
   * forwards). The default calls {@link #score} for each.
   *
   * @param problems the problem of each completion, same length as {@code completions}
   * @param completions the completions
   * @return one finite reward per completion
   */
  default double[] scores(List<Problem> problems, List<Completion> completions) {
    double[] out = new double[completions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = score(problems.get(i), completions.get(i));
    }
    return out;
  }

  /**
   * Per-step rewards of many completions at once (a PRM overrides this). The default calls
   * {@link #stepScores(Problem, Completion, int)} for each.
   *
   * @param problems the problem of each completion, same length as {@code completions}
   * @param completions the completions
   * @param numSteps the number of steps of each completion ({@code task.splitSteps(text).size()})
   * @return per completion, {@code max(numSteps[i], 1)} finite scores
   */
  default List<double[]> stepScores(List<Problem> problems, List<Completion> completions, int[] numSteps) {
    List<double[]> out = new ArrayList<>(completions.size());
    for (int i = 0; i < completions.size(); i++) {
      out.add(stepScores(problems.get(i), completions.get(i), numSteps[i]));
    }
    return out;
  }
}
