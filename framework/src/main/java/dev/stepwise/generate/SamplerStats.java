package dev.stepwise.generate;

/**
 * Timing of one {@link Sampler#generateIds} call, for logs, trackers and benchmarks.
 *
 * @param prompts prompts generated for
 * @param completions completions returned
 * @param promptTokens prompt tokens prefilled (padding excluded; each distinct prompt once per
 *     chunk)
 * @param generatedTokens tokens in the returned completions
 * @param decodedTokens row-steps actually decoded (≥ generatedTokens: rows that stop inside a
 *     block, or before finished rows are dropped, decode a few extra tokens)
 * @param prefillSeconds wall time of cache creation, prefill and row expansion (when chunks ran
 *     concurrently, see {@link DecodeWorkers}, the chunks' prefill and decode times are scaled
 *     to add up to the call's wall time, keeping their ratio)
 * @param decodeSeconds wall time of the choose-and-decode blocks and bookkeeping
 */
public record SamplerStats(
    int prompts,
    int completions,
    long promptTokens,
    long generatedTokens,
    long decodedTokens,
    double prefillSeconds,
    double decodeSeconds) {
  /** @return generated tokens per second of decoding (prefill excluded) */
  public double decodeTokensPerSecond() {
    return decodeSeconds > 0 ? generatedTokens / decodeSeconds : 0;
  }

  /** @return generated tokens per second of the whole call */
  public double tokensPerSecond() {
    double s = prefillSeconds + decodeSeconds;
    return s > 0 ? generatedTokens / s : 0;
  }

  /**
   * The same counts with prefill and decode seconds scaled (keeping their ratio) so that they add
   * up to {@code wall}: for chunks that ran concurrently, whose own times overlap.
   */
  SamplerStats withWallSeconds(double wall) {
    double s = prefillSeconds + decodeSeconds;
    double f = s > 0 ? wall / s : 0;
    return new SamplerStats(
        prompts, completions, promptTokens, generatedTokens, decodedTokens, prefillSeconds * f, decodeSeconds * f);
  }

  SamplerStats plus(SamplerStats o) {
    return new SamplerStats(
        prompts + o.prompts,
        completions + o.completions,
        promptTokens + o.promptTokens,
        generatedTokens + o.generatedTokens,
        decodedTokens + o.decodedTokens,
        prefillSeconds + o.prefillSeconds,
        decodeSeconds + o.decodeSeconds);
  }
}
