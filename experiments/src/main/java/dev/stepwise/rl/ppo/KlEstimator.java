package dev.stepwise.rl.ppo;

import dev.stepwise.config.UserError;

/**
 * Per-token estimators of KL(policy ‖ reference) from the sampled token's log-probabilities
 * (Schulman, "Approximating KL divergence", 2020; TRL {@code PPOConfig.kl_estimator}). With
 * {@code logr = ref - logp}:
 *
 * <ul>
 *   <li>{@link #K1}: {@code -logr = logp - ref} (unbiased, can be negative; TRL's default);
 *   <li>{@link #K3}: {@code exp(logr) - 1 - logr} (unbiased, always &ge; 0, lower variance).
 * </ul>
 */
public enum KlEstimator {
  /** logp - ref. */
  K1,
  /** exp(ref - logp) - 1 - (ref - logp). */
  K3;

  /**
   * @param logp the policy's log-probability of the sampled token (nats, &le; 0)
   * @param ref the reference's log-probability of the same token
   * @return the estimate in nats (K3: &ge; 0)
   */
  public double apply(double logp, double ref) {
    double logr = ref - logp;
    return this == K1 ? -logr : Math.expm1(logr) - logr;
  }

  /** @throws UserError naming {@code ppo.kl_estimator} for a name other than k1, k3 */
  public static KlEstimator parse(String s) {
    return switch (s) {
      case "k1" -> K1;
      case "k3" -> K3;
      default -> throw new UserError("ppo.kl_estimator = '" + s + "' is unknown (k1, k3)");
    };
  }
}
