package dev.stepwise.sample;

import dev.stepwise.config.Nullable;

/**
 * The sampling job's own keys ({@code sample} section).
 *
 * @param modelPath the checkpoint directory to sample from (config.json, model.safetensors,
 *     tokenizer.json); required
 * @param split the task split to sample, {@code train} or {@code test}
 * @param limit the number of problems from the start of the split; 0 = all
 * @param batchSize problems per generation batch (each with {@code n} samples)
 * @param outputFile the JSONL output; null = {@code <run dir>/samples.jsonl}. Re-running with
 *     the same file skips the ids it already holds
 * @param greedy when true (and the sampling parameters are not greedy themselves), also decode
 *     one greedy completion per problem ({@code n = 1}, temperature 0, the same {@code max_tokens}
 *     and {@code stop}) into {@code <output stem>.greedy.jsonl} (same record format, resumable)
 *     and report {@code sample/greedy_accuracy}; null or false: no greedy pass (with greedy
 *     sampling parameters, the first response of each record is the greedy one and the accuracy
 *     is reported anyway)
 */
public record SampleConfig(
    @Nullable String modelPath,
    String split,
    int limit,
    int batchSize,
    @Nullable String outputFile,
    @Nullable Boolean greedy) {}
