package dev.stepwise.selftrain;

import dev.stepwise.config.Nullable;

/**
 * The {@code pairs} section for {@code builder = rlcd}.
 *
 * @param builder {@code rlcd}
 * @param positiveFile samples drawn with the positive system prompt (the sampler's JSONL); required
 * @param negativeFile samples of the same problems drawn with the negative system prompt; required
 * @param split the task split both were sampled from (the pairs' prompt is rebuilt from the
 *     task's problem, without any system prompt)
 * @param outputFile the pairs JSONL; null = {@code <run dir>/pairs.jsonl}
 */
public record RlcdConfig(
    String builder, @Nullable String positiveFile, @Nullable String negativeFile, String split, @Nullable String outputFile) {}
