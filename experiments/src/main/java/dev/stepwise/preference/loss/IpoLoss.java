package dev.stepwise.preference.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Identity preference optimisation (Azar et al. 2023, Eq. 17; TRL {@code loss_type="ipo"}):
 * {@code ℓ = (z − 1/(2β))²}, with β in the role of the paper's τ. Gradient in z: {@code 2(z −
 * 1/(2β))}, negative while z is below the target margin {@code 1/(2β)}.
 *
 * <p>The sequence log-probabilities entering z are either averaged over the completion tokens
 * (TRL's choice; {@code dpo.ipo_average_log_probs = true}) or summed, as the LPR reference does
 * ({@code models/llama.py} of SparkJiao/dpo-trajectory-reasoning: {@code llama_dpo_batch_forward}
 * sums the per-token log-probabilities and {@code dpo_loss} applies {@code (logits - 1 / (2 *
 * beta)) ** 2} to them, around lines 123–139 and 224–230; {@code false}).
 */
public final class IpoLoss implements DpoLoss {
  /** Registry name. */
  public static final String NAME = "ipo";

  private final boolean average;

  /**
   * @param average true: per-token mean log-probabilities (TRL); false: sums (the LPR reference)
   */
  public IpoLoss(boolean average) {
    this.average = average;
  }

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
    return average;
  }
}
