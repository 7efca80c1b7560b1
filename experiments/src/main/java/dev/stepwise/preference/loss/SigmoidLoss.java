package dev.stepwise.preference.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.config.UserError;

/**
 * DPO's loss with optional conservative label smoothing (cDPO): {@code ℓ = −(1−ε)·log σ(βz) −
 * ε·log σ(−βz)} (Rafailov et al. 2023 Eq. 7 for ε = 0; Mitchell's cDPO note Eq. 3; TRL {@code
 * loss_type="sigmoid"}). At z = 0 the loss is {@code ln 2}; its derivative in z is {@code
 * −β((1−ε)(1−σ(βz)) − ε·σ(βz))}, negative for z = 0 and ε &lt; ½, so training raises z.
 */
public final class SigmoidLoss implements DpoLoss {
  /** Registry name. */
  public static final String NAME = "sigmoid";

  private final double labelSmoothing;

  /**
   * @param labelSmoothing ε, the assumed probability that a pair's label is flipped, in [0, 0.5]
   * @throws UserError when ε is outside [0, 0.5]
   */
  public SigmoidLoss(double labelSmoothing) {
    if (!(labelSmoothing >= 0 && labelSmoothing <= 0.5)) {
      throw new UserError("dpo.label_smoothing = " + labelSmoothing + " must be in [0, 0.5] for loss_type sigmoid");
    }
    this.labelSmoothing = labelSmoothing;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray losses(NDArray logits, double beta, NDManager step) {
    NDArray bz = logits.mul(step.create((float) beta));
    NDArray pos = DpoLoss.logSigmoid(bz).mul(step.create((float) (1 - labelSmoothing)));
    if (labelSmoothing == 0) {
      return pos.neg();
    }
    NDArray neg = DpoLoss.logSigmoid(bz.neg()).mul(step.create((float) labelSmoothing));
    return pos.add(neg).neg();
  }
}
