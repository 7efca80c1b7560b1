package dev.stepwise.preference.pairs;

import dev.stepwise.config.Nullable;

/**
 * The {@code pairs} section for {@code builder = step} ({@link StepPairs}).
 *
 * @param builder {@code step}
 * @param rolloutsFile the rollouts JSONL of {@code sampler.jar job=rollouts} ({@code
 *     dev.stepwise.reward.synth.RolloutRecord}); required
 * @param outputFile the pairs JSONL; null = {@code <run dir>/pairs.jsonl}
 * @param minMargin pair two next steps only when their MC values differ by strictly more than
 *     this, in [0, 1)
 * @param includeFull also use the {@code full} records (a whole response, MC value 0 or 1: its
 *     answer step competes with the other next steps after the same prefix)
 * @param maxPairsPerProblem keep at most this many pairs per problem, a seeded draw without
 *     replacement; 0 = all
 * @param seed seeds the draw (with the problem id)
 */
public record StepPairsConfig(
    String builder,
    @Nullable String rolloutsFile,
    @Nullable String outputFile,
    double minMargin,
    boolean includeFull,
    int maxPairsPerProblem,
    long seed) {}
