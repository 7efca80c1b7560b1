package dev.stepwise.rl;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * One GRPO micro-batch: N = prompts·G sequences (prompt + sampled completion), right-padded.
 *
 * @param inputIds (N, T) int64: each sequence but its last token
 * @param attentionMask (N, T) int64, 1 = real token
 * @param labels (N, T) int64: each sequence but its first token (next-token targets)
 * @param completionMask (N, T) float32, 1 where the label is a completion token
 * @param advantages (N) float32 group-relative advantages
 * @param refLogps (N, T) float32 reference log-probabilities of the labels, or null when beta = 0
 * @param rolloutMetrics host metrics of the generation ({@code reward}, {@code reward_std}, ...)
 * @param numTokens real tokens in the batch (throughput)
 */
public record GrpoBatch(
    NDArray inputIds,
    NDArray attentionMask,
    NDArray labels,
    NDArray completionMask,
    NDArray advantages,
    NDArray refLogps,
    Map<String, Double> rolloutMetrics,
    long numTokens) {}
