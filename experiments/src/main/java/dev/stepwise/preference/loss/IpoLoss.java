package dev.stepwise.preference.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Identity preference optimisation (Azar et al. 2023, Eq. 17; TRL {@code loss_type="ipo"}):
 * {@code ℓ = (z − 1/(2β))²}, with β in the role of the paper's τ. As in TRL, the sequence
 * log-probabilities entering z are averaged over the completion tokens ({@link
 * #averagesLogProbs()} is true). Gradient in z: {@code 2(z − 1/(2β))}, negative while z is below
 * the target margin {@code 1/(2β)}.
 */
public final class IpoLoss implements DpoLoss {
  /** Registry name. */
  public static final String NAME = "ipo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public NDArray losses(NDArray logits, double beta, NDManager step) {
    return logits.sub(step.create((float) (1 / (2 * beta)))).square();
  }

  @Override
  public boolean averagesLogProbs() {
    return true;
  }
}
