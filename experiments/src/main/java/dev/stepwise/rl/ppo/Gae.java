package dev.stepwise.rl.ppo;

/**
 * Generalised advantage estimation (Schulman et al. 2016; TRL {@code PPOTrainer}) over one
 * response's tokens, the value after the last token being 0 (the episode ends):
 *
 * <pre>
 * delta_t = r_t + gamma·V_{t+1} - V_t
 * A_t     = delta_t + gamma·lam·A_{t+1}
 * R_t     = A_t + V_t          (the value target)
 * </pre>
 */
public final class Gae {
  private Gae() {}

  /** Advantages and returns of one response, each of its length. */
  public record Result(double[] advantages, double[] returns) {}

  /**
   * @param rewards per-token rewards r_0..r_{L-1}
   * @param values per-token values V_0..V_{L-1} (the critic at the state where token t is chosen)
   * @param gamma discount in [0, 1]
   * @param lam GAE lambda in [0, 1]
   * @return advantages and returns, length L
   * @throws IllegalArgumentException when the lengths differ
   */
  public static Result compute(double[] rewards, double[] values, double gamma, double lam) {
    if (rewards.length != values.length) {
      throw new IllegalArgumentException(rewards.length + " rewards but " + values.length + " values");
    }
    int n = rewards.length;
    double[] adv = new double[n];
    double[] ret = new double[n];
    double last = 0;
    for (int t = n - 1; t >= 0; t--) {
      double next = t + 1 < n ? values[t + 1] : 0;
      double delta = rewards[t] + gamma * next - values[t];
      last = delta + gamma * lam * last;
      adv[t] = last;
      ret[t] = last + values[t];
    }
    return new Result(adv, ret);
  }
}
