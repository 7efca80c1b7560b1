package dev.stepwise.rl.ppo;

/**
 * TRL's {@code masked_whiten} on ragged rows: {@code (x - mean) / sqrt(var + 1e-8)} over every
 * value of every row (mean and unbiased variance over all of them), adding the mean back when
 * {@code shiftMean} is false (TRL whitens rewards that way and advantages with the shift).
 */
public final class Whiten {
  private Whiten() {}

  /**
   * @param rows ragged rows (one per response, one value per response token); changed in place
   * @param shiftMean true: the result has mean 0; false: it keeps the original mean
   */
  public static void apply(double[][] rows, boolean shiftMean) {
    long n = 0;
    double sum = 0;
    for (double[] r : rows) {
      for (double v : r) {
        sum += v;
        n++;
      }
    }
    if (n < 2) {
      return;
    }
    double mean = sum / n;
    double ss = 0;
    for (double[] r : rows) {
      for (double v : r) {
        ss += (v - mean) * (v - mean);
      }
    }
    double inv = 1 / Math.sqrt(ss / (n - 1) + 1e-8);
    for (double[] r : rows) {
      for (int t = 0; t < r.length; t++) {
        r[t] = (r[t] - mean) * inv + (shiftMean ? 0 : mean);
      }
    }
  }
}
