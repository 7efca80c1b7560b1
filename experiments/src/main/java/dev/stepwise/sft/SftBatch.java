package dev.stepwise.sft;

import ai.djl.ndarray.NDArray;

/**
 * A right-padded SFT micro-batch; all arrays (B, T).
 *
 * @param inputIds int64 token ids; pad id after the end
 * @param attentionMask int64, 1 for real tokens, 0 for padding
 * @param labels int64 next-token targets ({@code labels[b,t] = ids[b,t+1]}), 0 where masked
 * @param lossMask float32, 1 where the label is a completion token, else 0
 */
public record SftBatch(NDArray inputIds, NDArray attentionMask, NDArray labels, NDArray lossMask) {}
