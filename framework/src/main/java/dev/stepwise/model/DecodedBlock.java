package dev.stepwise.model;

import ai.djl.ndarray.NDArray;

/**
 * What {@link CausalLM#sampleAndDecode} returns.
 *
 * @param logits (B, V) float32 logits after the last chosen token: the input of the next block
 * @param ids chosen token ids, row-major (B, steps): {@code ids[r * steps + s]}
 * @param logprobs their log-probabilities under the raw distribution (log-softmax of the
 *     unmodified logits), same layout
 * @param steps tokens chosen per row
 */
public record DecodedBlock(NDArray logits, long[] ids, float[] logprobs, int steps) {}
