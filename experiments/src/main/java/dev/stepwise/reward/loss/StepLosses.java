package dev.stepwise.reward.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/**
 * The masked losses and accuracies of reward models, averaged over labelled positions (every
 * label of the micro-batch weighs the same). Differentiable; every scalar constant is an NDArray
 * of the step's manager (DJL autograd trap, DESIGN.md section 5).
 */
public final class StepLosses {
  private StepLosses() {}

  /**
   * Binary cross-entropy with logits, {@code l = softplus(x) − t·x} (libtorch's stable softplus;
   * equals {@code −t·log σ(x) − (1−t)·log(1−σ(x))}).
   *
   * @param logits (B, T) float32
   * @param targets (B, T) float32 in [0, 1]
   * @param mask (B, T) float32, 1 at labelled positions
   * @return scalar float32 {@code Σ mask·l / max(Σ mask, 1)}
   */
  public static NDArray bce(NDArray logits, NDArray targets, NDArray mask, NDManager step) {
    NDArray l = Activation.softPlus(logits).sub(targets.mul(logits));
    return l.mul(mask).sum().div(count(mask, step));
  }

  /**
   * Cross-entropy over classes.
   *
   * @param logits (B, T, C) float32
   * @param classes (B, T) int64 in [0, C)
   * @param mask (B, T) float32, 1 at labelled positions
   * @return scalar float32 {@code −Σ mask·log softmax(x)[class] / max(Σ mask, 1)}
   */
  public static NDArray crossEntropy(NDArray logits, NDArray classes, NDArray mask, NDManager step) {
    int c = (int) logits.getShape().get(2);
    NDArray picked = logits.logSoftmax(-1).mul(classes.oneHot(c).toType(DataType.FLOAT32, false)).sum(new int[] {-1});
    return picked.mul(mask).sum().neg().div(count(mask, step));
  }

  /**
   * @param logits (B, T) float32
   * @return scalar float32: the share of labelled positions where {@code (x > 0) == (t ≥ 0.5)}
   */
  public static NDArray binaryAccuracy(NDArray logits, NDArray targets, NDArray mask, NDManager step) {
    NDArray pred = logits.gt(step.create(0f));
    NDArray gold = targets.gte(step.create(0.5f));
    return pred.eq(gold).toType(DataType.FLOAT32, false).mul(mask).sum().div(count(mask, step));
  }

  /**
   * @param logits (B, T, C) float32
   * @return scalar float32: the share of labelled positions whose argmax class is the target
   */
  public static NDArray classAccuracy(NDArray logits, NDArray classes, NDArray mask, NDManager step) {
    NDArray hit = logits.argMax(-1).eq(classes).toType(DataType.FLOAT32, false);
    return hit.mul(mask).sum().div(count(mask, step));
  }

  private static NDArray count(NDArray mask, NDManager step) {
    return mask.sum().maximum(step.create(1f));
  }
}
