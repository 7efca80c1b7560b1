package dev.stepwise.reward.model;

/**
 * How a class head's softmax over the k+1 value classes (class c = "c of the k rollouts from this
 * state reached the correct answer") becomes one step score in [0, 1]. Config key {@code
 * prm.class_reduce}; bound case-insensitively by ConfigBinder, so an unknown name is a user error
 * with file:line and a did-you-mean. A scalar head ignores it (its score is always sigmoid).
 *
 * <ul>
 *   <li>{@link #PROB_GE}: {@code Σ_{c ∈ prob_labels} softmax(x)_c}, the reference's rule
 *       (SparkJiao/dpo-trajectory-reasoning, {@code logit2prob} in the best-of scripts, e.g.
 *       {@code scripts/cot/deepseek_dpo_pair_by_reward_v1.0.py} around line 57–60, with {@code
 *       prob_labels = (2，3)} in {@code scripts/cot/deepseek_dpo_pair_by_reward.sh} line 9). With
 *       k = 3 and labels (2, 3) it is P(at least 2 of 3 rollouts succeed).
 *   <li>{@link #EXPECTED}: the predicted Monte Carlo value {@code Σ_c c·softmax(x)_c / k}, the
 *       quantity {@code label_type = soft} regresses (Stepwise's earlier and only rule).
 * </ul>
 *
 * The two order responses differently: class probabilities [0, .6, 0, .4] score .60 expected and
 * .40 prob_ge(2, 3); [.3, 0, .5, .2] score .533 and .70.
 */
public enum ClassReduce {
  /** Sum of the class probabilities over {@code prob_labels}. */
  PROB_GE,
  /** Expected value Σ c·p_c / k. */
  EXPECTED
}
