package dev.stepwise.selftrain;

import dev.stepwise.config.Nullable;

/**
 * The {@code pairs} section for {@code builder = self_rewarding}.
 *
 * @param builder {@code self_rewarding}
 * @param judgedFile the judge job's output ({@code {"id","prompt","response":[..],
 *     "judge_scores":[..]}}, a score null when the judge's verdict could not be parsed; {@code
 *     label} optional); required
 * @param outputFile the pairs JSONL; null = {@code <run dir>/pairs.jsonl}
 */
public record SelfRewardingConfig(String builder, @Nullable String judgedFile, @Nullable String outputFile) {}
