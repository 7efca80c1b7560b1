package dev.stepwise.rl;

import dev.stepwise.config.UserError;
import java.util.Locale;

/**
 * How GRPO averages the per-token loss (TRL {@code GRPOConfig.loss_type}); {@code mask} is the
 * completion-token mask of the micro-batch.
 */
public enum LossType {
  /** Mean over each sequence's tokens, then over sequences (the original GRPO paper). */
  GRPO,
  /** Sum over all tokens / number of tokens of the micro-batch. */
  BNPO,
  /** Sum over all tokens / (sequences · max_completion_length) (Dr. GRPO). */
  DR_GRPO,
  /**
   * Sum over all tokens / number of tokens of the generation batch (DAPO, TRL's default); here a
   * micro-batch is a whole generation batch, so it equals {@link #BNPO}.
   */
  DAPO;

  /** @throws UserError for an unknown value, naming {@code grpo.loss_type} */
  public static LossType parse(String s) {
    String v = s == null ? "dapo" : s.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "grpo" -> GRPO;
      case "bnpo" -> BNPO;
      case "dr_grpo" -> DR_GRPO;
      case "dapo" -> DAPO;
      default -> throw new UserError("grpo.loss_type = '" + s + "': use grpo, bnpo, dr_grpo or dapo");
    };
  }
}
