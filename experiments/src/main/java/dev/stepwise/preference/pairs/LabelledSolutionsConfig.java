package dev.stepwise.preference.pairs;

import dev.stepwise.config.Nullable;

/**
 * The {@code pairs} section for {@code builder = labelled_solutions}.
 *
 * @param builder {@code labelled_solutions}
 * @param solutionsFile JSONL of {@code {"question", "ground_truth", "<source>": {"is_correct",
 *     "solution"}, ...}} (GSM8K's {@code example_model_solutions.jsonl}); required
 * @param outputFile the pairs JSONL; null = {@code <run dir>/pairs.jsonl}
 * @param maxPairsPerProblem at most this many pairs per question (seeded draw); 0 = all
 * @param limit the first this many questions of the file; 0 = all
 * @param seed seeds the draw, with the question's id
 */
public record LabelledSolutionsConfig(
    String builder,
    @Nullable String solutionsFile,
    @Nullable String outputFile,
    int maxPairsPerProblem,
    int limit,
    long seed) {}
