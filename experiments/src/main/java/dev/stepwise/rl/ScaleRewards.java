package dev.stepwise.rl;

import dev.stepwise.config.UserError;
import java.util.Locale;

/**
 * How GRPO scales the centred rewards (TRL {@code GRPOConfig.scale_rewards}): {@code group}
 * divides by the standard deviation of the prompt's group, {@code batch} by that of the whole
 * generation batch, {@code none} leaves them centred only (Dr. GRPO).
 */
public enum ScaleRewards {
  /** Divide by the group's standard deviation (TRL's default). */
  GROUP,
  /** Divide by the generation batch's standard deviation. */
  BATCH,
  /** No scaling. */
  NONE;

  /**
   * @param s {@code group}, {@code batch} or {@code none} (case-insensitive); TRL's legacy
   *     booleans {@code true}/{@code false} mean group/none
   * @throws UserError for any other value, naming {@code grpo.scale_rewards}
   */
  public static ScaleRewards parse(String s) {
    String v = s == null ? "group" : s.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "group", "true" -> GROUP;
      case "batch" -> BATCH;
      case "none", "false" -> NONE;
      default -> throw new UserError("grpo.scale_rewards = '" + s + "': use group, batch or none");
    };
  }
}
