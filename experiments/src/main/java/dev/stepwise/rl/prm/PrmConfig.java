package dev.stepwise.rl.prm;

import dev.stepwise.reward.predict.Reduce;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;

/**
 * The top-level {@code prm} config section, shared by GRPO's {@code prm} reward function and
 * step PPO's reward model.
 *
 * @param modelPath a reward-model directory written by {@code objective = prm} (its {@code
 *     reward_model} folder: config.json, model.safetensors, tokenizer, reward_head.*); required
 *     when the PRM is used
 * @param reduce GRPO's sequence score from the step scores: min (default), last, sum, product ({@link Reduce}, shared with best-of-N and best-of pairs)
 * @param batchSize sequences per PRM forward, &ge; 1 (default 32)
 */
public record PrmConfig(
    @JsonProperty("model_path") @Nullable String modelPath,
    @JsonProperty("reduce") @Nullable String reduce,
    @JsonProperty("batch_size") @Nullable Integer batchSize) {
  /** Fills defaults and validates ({@link UserError} naming the key). */
  public PrmConfig {
    reduce = reduce == null ? "min" : reduce;
    batchSize = batchSize == null ? 32 : batchSize;
    Reduce.parse(reduce, "prm.reduce");
    if (batchSize < 1) {
      throw new UserError("prm.batch_size = " + batchSize + " must be >= 1");
    }
  }

  /** @return the parsed reduce */
  public Reduce reduction() {
    return Reduce.parse(reduce, "prm.reduce");
  }
}
