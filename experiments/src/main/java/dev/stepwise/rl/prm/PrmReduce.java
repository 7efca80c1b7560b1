package dev.stepwise.rl.prm;

import dev.stepwise.config.UserError;
import java.util.Locale;

/**
 * How a completion's step probabilities p_1..p_n (each in [0, 1]) become GRPO's sequence reward,
 * the {@code prm.reduce} key: {@code min} (Wang et al. 2024, Math-Shepherd; the default),
 * {@code last} (p_n, the PRM's judgement of the whole response), {@code mean}, {@code product}
 * (Π p_i, Lightman et al. 2023). Every result is in [0, 1]; no step gives 0.
 */
public enum PrmReduce {
  /** min p_i. */
  MIN,
  /** p_n. */
  LAST,
  /** (Σ p_i) / n. */
  MEAN,
  /** Π p_i. */
  PRODUCT;

  /**
   * @param p step probabilities, each in [0, 1]
   * @return the reduced reward in [0, 1]; 0 for an empty array
   */
  public double apply(double[] p) {
    if (p.length == 0) {
      return 0;
    }
    double r = switch (this) {
      case MIN -> Double.POSITIVE_INFINITY;
      case LAST -> p[p.length - 1];
      case MEAN -> 0;
      case PRODUCT -> 1;
    };
    if (this == LAST) {
      return r;
    }
    for (double v : p) {
      r = switch (this) {
        case MIN -> Math.min(r, v);
        case PRODUCT -> r * v;
        default -> r + v;
      };
    }
    return this == MEAN ? r / p.length : r;
  }

  /** @return the config name ({@code min}, {@code last}, {@code mean}, {@code product}) */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws UserError naming {@code prm.reduce} for an unknown name */
  public static PrmReduce parse(String s) {
    for (PrmReduce r : values()) {
      if (r.key().equals(s)) {
        return r;
      }
    }
    throw new UserError("prm.reduce = '" + s + "' is unknown (min, last, mean, product)");
  }
}
