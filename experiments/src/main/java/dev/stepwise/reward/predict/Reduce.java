package dev.stepwise.reward.predict;

import dev.stepwise.config.UserError;
import java.util.Locale;

/**
 * How a trajectory's per-step probabilities p_1..p_n (each in [0, 1]) become one reward:
 * {@code product} Π p_i (Lightman et al. 2023), {@code min} min p_i (Wang et al. 2024), {@code
 * sum} Σ p_i, {@code last} p_n (the score of the whole response; an
 * ORM's reward). The predict/best-of-N jobs and best-of pairs use it, and so does the PRM reward
 * of GRPO ({@code prm.reduce}, default min). A trajectory
 * with no scored step gets 0 under every reduce, so it never beats a scored one (except under
 * {@code sum} against all-zero steps).
 */
public enum Reduce {
  /** Π p_i. */
  PRODUCT,
  /** min p_i. */
  MIN,
  /** Σ p_i. */
  SUM,
  /** p_n. */
  LAST;

  /** @return the reward of the steps' probabilities (0 when empty) */
  public double apply(float[] p) {
    return apply(p, 0);
  }

  /** @return {@link #apply(double[], int)} of the widened scores */
  public double apply(float[] p, int stepOffset) {
    double[] d = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = p[i];
    }
    return apply(d, stepOffset);
  }

  /**
   * The reduce after dropping the last {@code stepOffset} scores ({@code prm.step_offset}; the
   * reference's math scripts drop the answer step with 1). A response left without scores gets 0
   * (the reference skips such a response instead; here it loses to every scored one).
   *
   * @param stepOffset trailing scores to drop, &ge; 0
   * @return the reward of {@code p[0 .. n - stepOffset)} (0 when that is empty)
   */
  public double apply(double[] p, int stepOffset) {
    return apply(java.util.Arrays.copyOf(p, Math.max(0, p.length - stepOffset)));
  }

  /** @return the reward of the steps' probabilities (0 when empty) */
  public double apply(double[] p) {
    if (p.length == 0) {
      return 0;
    }
    double r = switch (this) {
      case PRODUCT -> 1;
      case MIN -> Double.POSITIVE_INFINITY;
      case SUM -> 0;
      case LAST -> p[p.length - 1];
    };
    if (this == LAST) {
      return r;
    }
    for (double v : p) {
      r = switch (this) {
        case PRODUCT -> r * v;
        case MIN -> Math.min(r, v);
        default -> r + v;
      };
    }
    return r;
  }

  /** @return the lower-case name used in configs and output ({@code product}, ...) */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws UserError for a name other than product, min, sum, last */
  public static Reduce parse(String s) {
    return parse(s, "reduce");
  }

  /**
   * @param key the config key named in the error (e.g. {@code prm.reduce})
   * @throws UserError for a name other than product, min, sum, last
   */
  public static Reduce parse(String s, String key) {
    for (Reduce r : values()) {
      if (r.key().equals(s)) {
        return r;
      }
    }
    throw new UserError(key + " = '" + s + "' is unknown (product, min, sum, last)");
  }
}
