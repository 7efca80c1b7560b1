package dev.stepwise.preference.pairs;

import dev.stepwise.config.Nullable;

/**
 * The {@code pairs} section for {@code builder = best_of} ({@link BestOfPairs}).
 *
 * @param builder {@code best_of}
 * @param predictionsFile the PRM predictions JSONL written by {@code sampler.jar job=predict}
 *     ({@code dev.stepwise.reward.predict.PredictionRecord}); required
 * @param outputFile the pairs JSONL; null = {@code <run dir>/pairs.jsonl}
 * @param reduce how step probabilities become the trajectory reward: {@code product}, {@code
 *     min}, {@code sum} or {@code last}
 * @param bestOf the number of chosen responses per problem: the top {@code best_of} distinct
 *     correct responses by reward; at least 1
 * @param maxNegNum per chosen response, pair at most this many incorrect responses, taken in
 *     descending reward order; 0 = all of them; at least 0
 * @param posMargin also pair each chosen response with every correct response whose reward is
 *     lower by strictly more than this; null or negative = no correct-vs-correct pairs
 */
public record BestOfConfig(
    String builder,
    @Nullable String predictionsFile,
    @Nullable String outputFile,
    String reduce,
    int bestOf,
    int maxNegNum,
    @Nullable Double posMargin) {}
