package dev.stepwise.reward.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;

/**
 * The {@code gsm8k_solutions} job's keys ({@code solutions} section).
 *
 * @param inputFile GSM8K's {@code example_model_solutions.jsonl}; null = {@code
 *     <data_dir>/gsm8k/example_model_solutions.jsonl}
 * @param outputFile the samples JSONL of all problems; null = {@code <run dir>/solutions.jsonl};
 *     {@code <stem>.train.jsonl} and {@code <stem>.heldout.jsonl} are written beside it
 * @param trainFraction fraction of the questions in the train split ({@code train_fraction}, in
 *     [0, 1]); the split is by question, so a question's four solutions stay together
 * @param seed the seed of the question shuffle that decides the split
 */
public record SolutionsConfig(
    @JsonProperty("input_file") @Nullable String inputFile,
    @JsonProperty("output_file") @Nullable String outputFile,
    @JsonProperty("train_fraction") double trainFraction,
    @JsonProperty("seed") long seed) {}
