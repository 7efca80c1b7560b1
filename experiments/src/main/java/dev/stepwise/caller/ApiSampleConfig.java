package dev.stepwise.caller;

import dev.stepwise.config.Nullable;

/**
 * The API sampling job's keys ({@code sample} section of {@code api-caller.jar} configs).
 *
 * @param split the task split, {@code train} or {@code test}
 * @param limit problems from the start of the split; 0 = all
 * @param outputFile the samples JSONL; null = {@code <run dir>/samples.jsonl}. A re-run on the
 *     same file skips the ids it holds
 * @param failedFile where items that failed for good are recorded with their reason; null =
 *     {@code failed.jsonl} beside the output file
 */
public record ApiSampleConfig(String split, int limit, @Nullable String outputFile, @Nullable String failedFile) {}
