package dev.stepwise.train;

import dev.stepwise.config.UserError;
import java.util.List;

/**
 * Learning rate per optimizer step, with the Hugging Face {@code lr_scheduler_type} names and
 * the formulas of {@code transformers.optimization} ({@code get_scheduler}). For step {@code s}
 * (0-based index of the update about to be applied), warm-up length {@code W} and total {@code
 * T}, the rate is {@code lr · f(s)} with:
 *
 * <ul>
 *   <li>warm-up (all but {@code constant}): {@code f = s / max(1, W)} for {@code s < W} (so the
 *       very first update uses rate 0 when {@code W > 0}, as in Hugging Face);
 *   <li>{@code constant}: 1 (no warm-up);
 *   <li>{@code constant_with_warmup}: 1 after warm-up;
 *   <li>{@code linear}: {@code max(0, (T − s) / max(1, T − W))};
 *   <li>{@code cosine}: with progress {@code p = (s − W) / max(1, T − W)}, {@code c = 0.5·(1 +
 *       cos(π·p))} and floor {@code r = min_lr_ratio}: {@code max(0, r + (1 − r)·c)}, which is
 *       Hugging Face's {@code cosine} for {@code r = 0} and {@code cosine_with_min_lr} ({@code
 *       min_lr_rate = r}) otherwise.
 * </ul>
 *
 * <p>{@code W = warmup_steps} when &gt; 0, else {@code ceil(T · warmup_ratio)} (Hugging Face's
 * {@code get_warmup_steps}).
 */
public final class LrSchedule {
  /** The accepted {@code optim.lr_scheduler_type} values. */
  public static final List<String> TYPES =
      List.of("linear", "cosine", "constant", "constant_with_warmup");

  private final String type;
  private final double lr;
  private final long warmup;
  private final long total;
  private final double minLrRatio;

  /**
   * @param type one of {@link #TYPES}
   * @param lr peak learning rate
   * @param warmupSteps warm-up length in steps, &ge; 0
   * @param totalSteps total optimizer steps of the run, &ge; 1
   * @param minLrRatio cosine floor as a fraction of {@code lr}, in [0, 1]
   * @throws UserError for an unknown type
   */
  public LrSchedule(String type, double lr, long warmupSteps, long totalSteps, double minLrRatio) {
    checkType(type);
    this.type = type;
    this.lr = lr;
    this.warmup = warmupSteps;
    this.total = totalSteps;
    this.minLrRatio = minLrRatio;
  }

  /** @return the schedule configured by {@code optim.*} for a run of {@code totalSteps} steps */
  public static LrSchedule of(OptimConfig c, long totalSteps) {
    long w = c.warmupSteps() > 0 ? c.warmupSteps() : (long) Math.ceil(totalSteps * c.warmupRatio());
    return new LrSchedule(c.lrSchedulerType(), c.lr(), w, totalSteps, c.minLrRatio());
  }

  /**
   * @param step 0-based index of the update ({@code global_step} before it is applied)
   * @return the learning rate for that update, &ge; 0
   */
  public double lr(long step) {
    return lr * factor(step);
  }

  /** @return the warm-up length in steps */
  public long warmupSteps() {
    return warmup;
  }

  private double factor(long s) {
    if (type.equals("constant")) {
      return 1.0;
    }
    if (s < warmup) {
      return (double) s / Math.max(1, warmup);
    }
    return switch (type) {
      case "constant_with_warmup" -> 1.0;
      case "linear" -> Math.max(0.0, (double) (total - s) / Math.max(1, total - warmup));
      case "cosine" -> {
        double p = (double) (s - warmup) / Math.max(1, total - warmup);
        double c = 0.5 * (1.0 + Math.cos(Math.PI * p));
        yield Math.max(0.0, minLrRatio + (1 - minLrRatio) * c);
      }
      default -> throw new IllegalStateException(type);
    };
  }

  /** @throws UserError when {@code type} is not one of {@link #TYPES} */
  static void checkType(String type) {
    if (!TYPES.contains(type)) {
      String hint = TYPES.stream()
          .filter(t -> t.startsWith(type.length() >= 3 ? type.substring(0, 3) : type))
          .findFirst()
          .map(t -> "; did you mean '" + t + "'?")
          .orElse("");
      throw new UserError(
          "optim.lr_scheduler_type = '" + type + "' is unknown; available: " + TYPES + hint);
    }
  }
}
