package dev.stepwise.preference.pairs;

import dev.stepwise.config.Nullable;

/**
 * The {@code pairs} section for {@code builder = outcome}.
 *
 * @param builder {@code outcome}
 * @param samplesFile the sampler's JSONL ({@code {"id","prompt","label","response":[..],
 *     "pred":[..]}}); required
 * @param outputFile the pairs JSONL; null = {@code <run dir>/pairs.jsonl}
 * @param maxPairsPerProblem keep at most this many pairs per problem, drawn without replacement
 *     with a seeded generator; 0 = keep all
 * @param seed seeds the draw (with the problem id, so a problem's pairs do not depend on the others)
 */
public record OutcomeConfig(
    String builder, @Nullable String samplesFile, @Nullable String outputFile, int maxPairsPerProblem, long seed) {}
