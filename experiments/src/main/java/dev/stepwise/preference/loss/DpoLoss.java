package dev.stepwise.preference.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One member of the DPO loss family: per-pair losses from the per-pair logits.
 *
 * <p>The logits are {@code z = (log π(y_c|x) − log π(y_r|x)) − (log π_ref(y_c|x) − log
 * π_ref(y_r|x))}, the same quantity as {@code logits} in TRL's {@code DPOTrainer.dpo_loss}.
 * Implementations must be differentiable and must not pass Java numbers to {@code NDArray}
 * arithmetic (DESIGN.md §5): every scalar is an array of {@code step}.
 */
public interface DpoLoss {
  /** @return the TRL {@code loss_type} name */
  String name();

  /**
   * @param logits (B,) float32 per-pair logits z (any real value)
   * @param beta the DPO temperature β &gt; 0 (IPO's τ)
   * @param step the manager of the current step; scalar constants are created in it
   * @return (B,) float32 per-pair losses, differentiable with respect to {@code logits}
   */
  NDArray losses(NDArray logits, double beta, NDManager step);

  /**
   * @return true when the sequence log-probabilities fed to this loss are the mean over the
   *     completion tokens instead of their sum (TRL does this for {@code ipo} only)
   */
  default boolean averagesLogProbs() {
    return false;
  }

  /**
   * {@code log σ(x)}, computed stably as {@code −softplus(−x)}.
   *
   * @param x float32 array of any shape
   * @return float32, same shape, each ≤ 0
   */
  static NDArray logSigmoid(NDArray x) {
    return ai.djl.nn.Activation.softPlus(x.neg()).neg();
  }
}
