package dev.stepwise.rl;

/**
 * GRPO's advantages from the rewards of a generation batch (TRL {@code
 * GRPOTrainer._generate_and_score_completions}): completions come in consecutive groups of
 * {@code G} per prompt; {@code A_i = (r_i - mean_group) / (std + 1e-4)} where std is the
 * unbiased (n-1) standard deviation of the group ({@link ScaleRewards#GROUP}), of the whole
 * batch ({@link ScaleRewards#BATCH}), or 1 without the epsilon ({@link ScaleRewards#NONE}). A
 * group whose rewards are all equal gets advantage exactly 0 whatever the mode.
 *
 * @param advantages one per completion, same order as the rewards
 * @param rewardStd mean over groups of the group's standard deviation (TRL's {@code reward_std})
 * @param fracZeroStd fraction of groups whose rewards are all equal, in [0, 1] (TRL's {@code
 *     frac_reward_zero_std})
 */
public record GroupAdvantages(double[] advantages, double rewardStd, double fracZeroStd) {
  /** TRL's denominator epsilon. */
  public static final double EPS = 1e-4;

  /**
   * @param rewards N = groups·G finite rewards, group-major
   * @param groupSize G &ge; 1 (with G = 1 the unbiased std is taken as 0)
   * @param mode the scaling
   * @throws IllegalArgumentException when N is not a multiple of G or a reward is NaN/infinite
   */
  public static GroupAdvantages compute(double[] rewards, int groupSize, ScaleRewards mode) {
    int n = rewards.length;
    if (groupSize < 1 || n % groupSize != 0) {
      throw new IllegalArgumentException(n + " rewards are not groups of " + groupSize);
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(rewards[i])) {
        throw new IllegalArgumentException("reward " + i + " is " + rewards[i] + " (a reward function returned a non-finite value)");
      }
    }
    int groups = n / groupSize;
    double[] adv = new double[n];
    double stdSum = 0;
    int zero = 0;
    double batchStd = std(rewards, 0, n);
    for (int g = 0; g < groups; g++) {
      int from = g * groupSize;
      double mean = mean(rewards, from, groupSize);
      double gs = std(rewards, from, groupSize);
      stdSum += gs;
      boolean allEqual = true;
      for (int i = from; i < from + groupSize; i++) {
        allEqual &= rewards[i] == rewards[from];
      }
      if (allEqual) {
        zero++;
      }
      for (int i = from; i < from + groupSize; i++) {
        double centred = allEqual ? 0.0 : rewards[i] - mean;
        adv[i] = switch (mode) {
          case GROUP -> centred / (gs + EPS);
          case BATCH -> centred / (batchStd + EPS);
          case NONE -> centred;
        };
      }
    }
    return new GroupAdvantages(adv, groups == 0 ? 0 : stdSum / groups, groups == 0 ? 0 : zero / (double) groups);
  }

  private static double mean(double[] v, int from, int n) {
    double s = 0;
    for (int i = from; i < from + n; i++) {
      s += v[i];
    }
    return n == 0 ? 0 : s / n;
  }

  /** Unbiased standard deviation (torch.std's default); 0 for fewer than 2 values. */
  static double std(double[] v, int from, int n) {
    if (n < 2) {
      return 0;
    }
    double m = mean(v, from, n);
    double s = 0;
    for (int i = from; i < from + n; i++) {
      s += (v[i] - m) * (v[i] - m);
    }
    return Math.sqrt(s / (n - 1));
  }
}
