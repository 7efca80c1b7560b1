package dev.stepwise.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * What an {@link Objective} returns for one micro-batch.
 *
 * @param loss scalar float32 loss to differentiate, already averaged the way the objective
 *     defines (SFT: mean over completion tokens of the micro-batch)
 * @param metrics scalar NDArrays (read after backward, one sync per step), e.g. {@code
 *     mean_token_accuracy}
 * @param numTokens number of tokens that count toward throughput (non-pad input tokens)
 */
public record StepOutput(NDArray loss, Map<String, NDArray> metrics, long numTokens) {}
