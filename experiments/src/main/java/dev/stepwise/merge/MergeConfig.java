package dev.stepwise.merge;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;

/**
 * The merge job's keys ({@code merge} section).
 *
 * @param adapter a PEFT adapter directory ({@code adapter_config.json}, {@code
 *     adapter_model.safetensors}), e.g. a LoRA run's checkpoint; required
 * @param base the base model directory; null = the adapter's {@code base_model_name_or_path}
 * @param out the directory to write (created; must not hold a {@code model.safetensors}); required
 */
public record MergeConfig(
    @Nullable @JsonProperty("adapter") String adapter,
    @Nullable @JsonProperty("base") String base,
    @Nullable @JsonProperty("out") String out) {}
