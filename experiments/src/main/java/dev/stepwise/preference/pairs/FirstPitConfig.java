package dev.stepwise.preference.pairs;

import dev.stepwise.config.Nullable;

/**
 * The {@code pairs} section for {@code builder = first_pit} ({@link FirstPitPairs}).
 *
 * @param builder {@code first_pit}
 * @param samplesFile the sampler's JSONL ({@code sampler.jar job=sample}); the rejected sides of
 *     its Self-Explore outcome pairs ({@link FirstPitPairs#rejected}) are explored; required
 * @param explorerPath the explorer checkpoint directory (Self-Explore uses the RFT model); required
 * @param outputFile the pairs JSONL; null = {@code <run dir>/pairs.jsonl}
 * @param k continuations per prefix, at least 1 (Self-Explore: 4)
 * @param temperature sampling temperature of the explorations, &ge; 0 (Self-Explore: 0.7)
 * @param maxTokens new tokens per continuation, at least 1
 * @param batchSize prefixes per explorer call (each prefilled once for its k rows), at least 1
 * @param maxSteps explore at most this many leading steps of a response (Self-Explore: 20); 0 =
 *     all
 * @param rejected what the rejected side holds: {@code step} (the pit step only, Self-Explore's
 *     {@code gpair}) or {@code rest} (the response from the pit step to its end, a Stepwise
 *     option); either way EOS follows the chosen only
 * @param limit explore at most this many outcome pairs (in file order); 0 = all
 * @param seed seeds the explorations (call c uses {@code seed + c * 0x9E3779B97F4A7C15})
 */
public record FirstPitConfig(
    String builder,
    @Nullable String samplesFile,
    @Nullable String explorerPath,
    @Nullable String outputFile,
    int k,
    double temperature,
    int maxTokens,
    int batchSize,
    int maxSteps,
    String rejected,
    int limit,
    long seed) {}
