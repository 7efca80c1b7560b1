package dev.stepwise.reward.predict;

import dev.stepwise.config.Nullable;

/**
 * The {@code predict} section.
 *
 * @param modelPath a reward-model directory (a {@code reward_model} written by the orm/prm
 *     training job, or one of its checkpoints); required
 * @param inputFile sampled solutions, {@code {"id","prompt","label","response":[..],"pred":[..]}}
 *     JSONL; required
 * @param outputFile null = {@code <run dir>/predictions.jsonl}; re-running on the same file skips
 *     the ids it holds
 * @param batchSize sequences per forward (default 16)
 */
public record PredictConfig(
    @Nullable String modelPath, @Nullable String inputFile, @Nullable String outputFile, @Nullable Integer batchSize) {
  /** Fills the default batch size. */
  public PredictConfig {
    batchSize = batchSize == null ? 16 : Math.max(1, batchSize);
  }
}
