package dev.stepwise.reward.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;

/**
 * The two kinds of reward head and how each turns its logits into a step probability in [0, 1].
 *
 * <ul>
 *   <li>{@link #SCALAR}: one logit per position; probability {@code sigmoid(x)} (ORM and the
 *       PRM label types {@code soft} and {@code hard}, trained with binary cross-entropy).
 *   <li>{@link #CLASSES}: {@code k+1} logits per position, class {@code c} meaning "c of the k
 *       rollouts from this state reached the correct answer" (the reference PRM of Jiao et al.
 *       2024); probability = the predicted Monte Carlo value {@code Σ_c c·softmax(x)_c / k}, the
 *       same quantity {@code soft} regresses, so both reduce alike.
 * </ul>
 */
public enum HeadType {
  /** One logit per position. */
  SCALAR,
  /** k+1 value classes per position. */
  CLASSES;

  /**
   * @param logits (B, T, C) float32 head outputs; C = 1 for {@link #SCALAR}, C = k+1 &ge; 2 for
   *     {@link #CLASSES}
   * @param m manager of the constant it needs (the class values); use the step's manager
   * @return (B, T) float32 probabilities in [0, 1]
   */
  public NDArray probabilities(NDArray logits, NDManager m) {
    if (this == SCALAR) {
      return Activation.sigmoid(logits.get(new NDIndex("..., 0")));
    }
    int c = (int) logits.getShape().get(logits.getShape().dimension() - 1);
    float[] values = new float[c];
    for (int i = 0; i < c; i++) {
      values[i] = i / (float) (c - 1);
    }
    return logits.softmax(-1).mul(m.create(values)).sum(new int[] {-1});
  }
}
