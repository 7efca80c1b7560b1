package dev.stepwise.preference.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.config.UserError;

/**
 * Robust DPO (Chowdhury et al. 2024, "Provably Robust DPO"; TRL {@code loss_type="robust"}): an
 * unbiased estimate of the DPO loss under label noise of rate ε, {@code ℓ = (−(1−ε)·log σ(βz) +
 * ε·log σ(−βz)) / (1 − 2ε)}. Equals {@link SigmoidLoss} when ε = 0.
 */
public final class RobustLoss implements DpoLoss {
  /** Registry name. */
  public static final String NAME = "robust";

  private final double labelSmoothing;

  /**
   * @param labelSmoothing ε in [0, 0.5)
   * @throws UserError when ε is outside [0, 0.5)
   */
  public RobustLoss(double labelSmoothing) {
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw new UserError("dpo.label_smoothing = " + labelSmoothing + " must be in [0, 0.5) for loss_type robust");
    }
    this.labelSmoothing = labelSmoothing;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray losses(NDArray logits, double beta, NDManager step) {
    double e = labelSmoothing;
    NDArray bz = logits.mul(step.create((float) beta));
    NDArray pos = DpoLoss.logSigmoid(bz).mul(step.create((float) (-(1 - e))));
    NDArray neg = DpoLoss.logSigmoid(bz.neg()).mul(step.create((float) e));
    return pos.add(neg).div(step.create((float) (1 - 2 * e)));
  }
}
