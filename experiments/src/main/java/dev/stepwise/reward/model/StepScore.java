package dev.stepwise.reward.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import dev.stepwise.config.UserError;
import java.util.List;

/**
 * The rule that turns a reward head's logits at one position into a step score in [0, 1]: sigmoid
 * for a scalar head; for a class head, {@link ClassReduce} over the softmax.
 *
 * @param classReduce the class-head reduction ({@code prm.class_reduce})
 * @param probLabels the classes summed by {@link ClassReduce#PROB_GE} ({@code prm.prob_labels}),
 *     each in [0, k]; ignored by {@link ClassReduce#EXPECTED}
 */
public record StepScore(ClassReduce classReduce, List<Integer> probLabels) {
  /** Stepwise's earlier rule: the expected Monte Carlo value. */
  public static final StepScore EXPECTED = new StepScore(ClassReduce.EXPECTED, List.of(2, 3));

  /** The reference's rule for its 4-class (k = 3) PRM: P(class ∈ {2, 3}). */
  public static final StepScore REFERENCE = new StepScore(ClassReduce.PROB_GE, List.of(2, 3));

  /** Copies the labels. */
  public StepScore {
    probLabels = List.copyOf(probLabels);
  }

  /**
   * @param logits (B, T, C) float32 head outputs; C = 1 scalar, C = k+1 &ge; 2 classes
   * @param m manager of the constants it needs; use the step's manager
   * @return (B, T) float32 scores in [0, 1]
   * @throws UserError when {@link ClassReduce#PROB_GE} names a class &ge; C (the key {@code
   *     prm.prob_labels})
   */
  public NDArray apply(HeadType head, NDArray logits, NDManager m) {
    if (head == HeadType.SCALAR) {
      return Activation.sigmoid(logits.get(new NDIndex("..., 0")));
    }
    int c = (int) logits.getShape().get(logits.getShape().dimension() - 1);
    return logits.softmax(-1).mul(m.create(weights(c))).sum(new int[] {-1});
  }

  /**
   * The same rule on one position's class probabilities (tests, and callers without NDArrays).
   *
   * @param p class probabilities p_0..p_k, k &ge; 1
   * @return the step score
   */
  public double of(double[] p) {
    float[] w = weights(p.length);
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      s += w[i] * p[i];
    }
    return s;
  }

  /** @return per class, its weight in the score (0/1 for prob_ge, c/k for expected) */
  private float[] weights(int c) {
    float[] w = new float[c];
    if (classReduce == ClassReduce.EXPECTED) {
      for (int i = 0; i < c; i++) {
        w[i] = i / (float) (c - 1);
      }
      return w;
    }
    for (int l : probLabels) {
      if (l < 0 || l >= c) {
        throw new UserError("prm.prob_labels = " + probLabels + ": class " + l + " does not exist; this reward head has "
            + c + " classes (0.." + (c - 1) + ", k = " + (c - 1) + " rollouts); set prm.prob_labels to classes of this"
            + " head (the reference's rule, at least 2 of 3 rollouts correct, is [2, 3] for k = 3) or prm.class_reduce=expected");
      }
      w[l] = 1f;
    }
    return w;
  }
}
