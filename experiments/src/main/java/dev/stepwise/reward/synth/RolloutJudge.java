package dev.stepwise.reward.synth;

import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;

/**
 * The one answer-judging rule for continuations of a prefix, shared by the Monte Carlo labels
 * ({@link McLabels}) and Self-Explore's first-pit search ({@code
 * dev.stepwise.preference.pairs.FirstPit}).
 *
 * <p>A continuation is judged on its <b>own text</b>, never on {@code prefix + continuation}: the
 * reference implementations extract the answer from the generated text alone (LPR: {@code
 * PartialTrajAttemptsReader} in {@code data/general.py} of SparkJiao/dpo-trajectory-reasoning
 * around lines 253–265, which scores each rollout's {@code response} with {@code
 * parse_leaf_node_value} and counts one without a prediction as wrong; Self-Explore: the answer
 * check of {@code gen/gen_step_explore.py}). Judging the concatenation would let a task's
 * last-number fallback credit a continuation without an answer ({@code ""}, {@code "hmm"}) to a
 * prefix whose last number happens to equal the gold answer.
 */
public final class RolloutJudge {
  private RolloutJudge() {}

  /**
   * @param task the answer check ({@link Task#isCorrect})
   * @param id the problem id
   * @param label the gold answer
   * @param continuation the generated text alone
   * @return true when the continuation's own text states the gold answer; false when it states
   *     another one or none
   */
  public static boolean reachesAnswer(Task task, String id, String label, String continuation) {
    return task.isCorrect(continuation, new Problem(id, "", "", label));
  }

  /**
   * @return true when the task extracts no answer from the continuation's own text (such a
   *     rollout counts as wrong)
   */
  public static boolean noAnswer(Task task, String continuation) {
    return task.extractAnswer(continuation).isEmpty();
  }
}
