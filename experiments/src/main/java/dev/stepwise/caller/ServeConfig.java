package dev.stepwise.caller;

import dev.stepwise.config.Nullable;

/**
 * The serve job's keys ({@code serve} section).
 *
 * @param modelPath the checkpoint directory to serve (config.json, model.safetensors, tokenizer);
 *     required
 * @param maxBatchSize most completions decoded together by the sampler
 * @param maxSeconds stop after this many seconds (tests, benchmarks); 0 = serve until killed
 */
public record ServeConfig(@Nullable String modelPath, int maxBatchSize, double maxSeconds) {}
