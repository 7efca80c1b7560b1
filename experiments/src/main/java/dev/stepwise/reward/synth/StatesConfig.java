package dev.stepwise.reward.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;

/**
 * The {@code states} job's keys ({@code states} section).
 *
 * @param inputFile the samples JSONL ({@code {"id","prompt","label","response","pred"}}); required
 * @param outputFile the states JSONL; null = {@code <run dir>/states.jsonl}. Rewritten as a whole
 *     (the job is deterministic and cheap)
 * @param ratio keep probability of each candidate state, in [0, 1]
 * @param ratioS fraction of leading steps never used as states ({@code ratio_s}), in [0, 1]
 * @param seed the state-sampling seed
 * @param splitNum when above 1, also write {@code <stem>.<i>-of-<split_num>.jsonl} shards beside
 *     the output ({@code split_num}), balanced and contiguous, for parallel rollouts
 */
public record StatesConfig(
    @JsonProperty("input_file") @Nullable String inputFile,
    @JsonProperty("output_file") @Nullable String outputFile,
    @JsonProperty("ratio") double ratio,
    @JsonProperty("ratio_s") double ratioS,
    @JsonProperty("seed") long seed,
    @JsonProperty("split_num") int splitNum) {}
