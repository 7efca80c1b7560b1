package dev.stepwise.preference.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The hinge loss of SLiC (Zhao et al. 2023) on the DPO logits, TRL {@code loss_type="hinge"}:
 * {@code ℓ = max(0, 1 − βz)}; β acts as the reciprocal of the margin. Zero (and flat) once {@code
 * z ≥ 1/β}; slope {@code −β} in z below it.
 */
public final class HingeLoss implements DpoLoss {
  /** Registry name. */
  public static final String NAME = "hinge";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray losses(NDArray logits, double beta, NDManager step) {
    return step.create(1f).sub(logits.mul(step.create((float) beta))).maximum(step.create(0f));
  }
}
