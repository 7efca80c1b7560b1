package dev.stepwise.selftrain;

import dev.stepwise.config.Nullable;

/**
 * The {@code self_judge} section of {@code sampler.jar job=self_judge} (the judge's prompts,
 * files and scale are the {@code judge} section, {@link dev.stepwise.caller.JudgeConfig}).
 *
 * @param modelPath the judging checkpoint (in Self-Rewarding, the iteration's own model); required
 * @param batchSize responses judged per generate call, at least 1
 */
public record SelfJudgeConfig(@Nullable String modelPath, int batchSize) {}
