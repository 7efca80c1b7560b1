package dev.stepwise.rl.ppo;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * One PPO minibatch: N responses (prompt + response), right-padded; per-token arrays are aligned
 * with {@code labels} (position t holds what concerns the token {@code labels[t]}).
 *
 * @param inputIds (N, T) int64: each sequence but its last token
 * @param attentionMask (N, T) int64, 1 = real token
 * @param labels (N, T) int64: each sequence but its first token
 * @param mask (N, T) float32, 1 where the label is a response token
 * @param oldLogp (N, T) float32 policy log-probabilities at rollout time
 * @param oldValues (N, T) float32 critic values at rollout time
 * @param advantages (N, T) float32 whitened GAE advantages
 * @param returns (N, T) float32 GAE returns (value targets)
 * @param rolloutMetrics host metrics of the rollout this minibatch comes from
 * @param numTokens real tokens in the minibatch
 */
public record PpoBatch(
    NDArray inputIds,
    NDArray attentionMask,
    NDArray labels,
    NDArray mask,
    NDArray oldLogp,
    NDArray oldValues,
    NDArray advantages,
    NDArray returns,
    Map<String, Double> rolloutMetrics,
    long numTokens) {}
