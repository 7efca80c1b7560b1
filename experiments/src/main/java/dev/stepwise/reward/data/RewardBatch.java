package dev.stepwise.reward.data;

import ai.djl.ndarray.NDArray;

/**
 * A right-padded reward-model micro-batch; every array is (B, T).
 *
 * @param inputIds int64 token ids, pad id after the end
 * @param attentionMask int64, 1 for real tokens
 * @param labelMask float32, 1 at the labelled positions (step ends), else 0
 * @param targets float32 label in [0, 1] at labelled positions, 0 elsewhere
 * @param classes int64 value class {@code round(target·k)} in [0, k] at labelled positions, 0
 *     elsewhere (used by the {@code classes} objective only)
 */
public record RewardBatch(NDArray inputIds, NDArray attentionMask, NDArray labelMask, NDArray targets, NDArray classes) {}
