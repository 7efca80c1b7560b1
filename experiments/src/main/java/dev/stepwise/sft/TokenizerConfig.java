package dev.stepwise.sft;

import dev.stepwise.config.Nullable;

/**
 * The {@code tokenizer} config group.
 *
 * @param kind {@code char} (built from the task's texts) or {@code hf} (a {@code tokenizer.json})
 * @param path the {@code tokenizer.json} for {@code hf}; null for {@code char}
 */
public record TokenizerConfig(String kind, @Nullable String path) {}
