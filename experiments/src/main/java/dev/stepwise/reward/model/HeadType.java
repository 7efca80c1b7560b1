package dev.stepwise.reward.model;

/**
 * The two kinds of reward head. How each turns its logits into a step score in [0, 1] is {@link
 * StepScore}.
 *
 * <ul>
 *   <li>{@link #SCALAR}: one logit per position; score {@code sigmoid(x)} (ORM and the PRM label
 *       types {@code soft} and {@code hard}, trained with binary cross-entropy).
 *   <li>{@link #CLASSES}: {@code k+1} logits per position, class {@code c} meaning "c of the k
 *       rollouts from this state reached the correct answer" (the reference PRM of Jiao et al.
 *       2024); score by {@link ClassReduce} ({@code prm.class_reduce}).
 * </ul>
 */
public enum HeadType {
  /** One logit per position. */
  SCALAR,
  /** k+1 value classes per position. */
  CLASSES
}
