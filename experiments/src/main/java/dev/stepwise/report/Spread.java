package dev.stepwise.report;

import java.util.List;
import java.util.Locale;

/**
 * Mean, sample standard deviation and range of a few values (one per seed).
 *
 * @param n how many values (>= 1)
 * @param mean their arithmetic mean
 * @param std the sample standard deviation (denominator n - 1); NaN when n = 1
 * @param min the smallest value
 * @param max the largest value
 */
public record Spread(int n, double mean, double std, double min, double max) {

  /**
   * @param values one value per seed, finite
   * @return their spread
   * @throws IllegalArgumentException when {@code values} is empty or holds a non-finite value
   */
  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("non-finite value " + v + " in " + values);
      }
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    int n = values.size();
    double mean = sum / n;
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    return new Spread(n, mean, n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, min, max);
  }

  /**
   * @return {@code "0.466 ± 0.012 (0.452–0.478)"}, three decimals; {@code "0.466"} for one value
   */
  public String format() {
    if (n == 1) {
      return String.format(Locale.ROOT, "%.3f", mean);
    }
    return String.format(Locale.ROOT, "%.3f ± %.3f (%.3f–%.3f)", mean, std, min, max);
  }
}
