package dev.stepwise.rl.ppo;

import dev.stepwise.config.UserError;

/**
 * Step PPO's per-token rewards of one response of L tokens (TRL {@code PPOTrainer}'s {@code
 * rewards = -kl_coef·kl; rewards[last] += score}, with step scores placed densely):
 *
 * <pre>
 * r_t  = -kl_coef · kl_t                                  for every token t
 * r_e += clip(step score i)   at e = the last token of step i      (process modes)
 * r_L-1 += clip(outcome score)                                     (outcome modes)
 * </pre>
 *
 * where {@code clip} limits each placed score to [-reward_clip, reward_clip] when {@code
 * reward_clip > 0}. A non-finite KL term or score throws a {@link UserError} that names which
 * one (token or step index) and {@code where} (the problem), so a broken PRM or reference is
 * found at its source rather than as a NaN loss later.
 */
public final class RewardPlacement {
  private RewardPlacement() {}

  /**
   * @param rewards per-token rewards, length L
   * @param scores the sum of the placed (clipped) scores: TRL's {@code objective/scores}
   * @param nonScore the sum of the KL terms {@code -kl_coef·kl_t}: TRL's {@code
   *     objective/non_score_reward}
   */
  public record Result(double[] rewards, double scores, double nonScore) {}

  /**
   * @param kl per-token KL estimates ({@link KlEstimator}), length L &ge; 1
   * @param klCoef KL coefficient &ge; 0
   * @param stepEnds the token index in [0, L) of each step's last token (used in process modes)
   * @param stepScores one score per step, same length as {@code stepEnds} (process modes)
   * @param outcome the outcome score (outcome modes)
   * @param mode which scores to place
   * @param rewardClip &gt; 0: clip each placed score to ±rewardClip; &le; 0: no clipping
   * @param where names the response in errors (e.g. "problem train-17")
   * @return the rewards and their parts
   * @throws UserError when a KL term or a placed score is NaN or infinite
   * @throws IllegalArgumentException when a step end is outside [0, L) or the step arrays differ
   *     in length
   */
  public static Result place(double[] kl, double klCoef, int[] stepEnds, double[] stepScores, double outcome,
      RewardMode mode, double rewardClip, String where) {
    int n = kl.length;
    double[] r = new double[n];
    double nonScore = 0;
    for (int t = 0; t < n; t++) {
      if (!Double.isFinite(kl[t])) {
        throw new UserError("NaN reward: the KL term of token " + t + " of " + where + " is " + kl[t]
            + " (policy or reference log-probability not finite)");
      }
      r[t] = -klCoef * kl[t];
      nonScore += r[t];
    }
    double scores = 0;
    if (mode.process()) {
      if (stepEnds.length != stepScores.length) {
        throw new IllegalArgumentException(stepEnds.length + " step ends but " + stepScores.length + " step scores");
      }
      for (int i = 0; i < stepEnds.length; i++) {
        if (!Double.isFinite(stepScores[i])) {
          throw new UserError("NaN reward: the PRM's score of step " + i + " of " + where + " is " + stepScores[i]
              + " (prm.model_path gives non-finite probabilities)");
        }
        if (stepEnds[i] < 0 || stepEnds[i] >= n) {
          throw new IllegalArgumentException("step end " + stepEnds[i] + " outside the response of " + n + " tokens");
        }
        double s = clip(stepScores[i], rewardClip);
        r[stepEnds[i]] += s;
        scores += s;
      }
    }
    if (mode.outcome()) {
      if (!Double.isFinite(outcome)) {
        throw new UserError("NaN reward: the outcome score of " + where + " is " + outcome);
      }
      double s = clip(outcome, rewardClip);
      r[n - 1] += s;
      scores += s;
    }
    return new Result(r, scores, nonScore);
  }

  private static double clip(double v, double c) {
    return c > 0 ? Math.max(-c, Math.min(c, v)) : v;
  }
}
