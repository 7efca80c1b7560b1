package dev.stepwise.generate;

import dev.stepwise.config.UserError;
import java.util.List;

/**
 * Sampling parameters with vLLM's names and meanings (bound from config with snake_case keys:
 * {@code n}, {@code temperature}, {@code top_p}, {@code top_k}, {@code max_tokens}, {@code
 * stop}, {@code seed}, {@code ignore_eos}).
 *
 * @param n completions per prompt (&ge; 1); they share the prompt's prefill
 * @param temperature softmax temperature (&ge; 0); below 1e-5 means greedy (argmax), as in vLLM
 * @param topP nucleus sampling: keep the smallest set of most likely tokens whose probability
 *     reaches {@code topP}, in (0, 1]; 1 = off. Applied after top-k, on the renormalised top-k
 *     distribution (vLLM's order)
 * @param topK keep the {@code topK} most likely tokens; &le; 0 = off
 * @param maxTokens maximum new tokens per completion (&ge; 1); a completion also stops at the
 *     model's context length ({@code n_positions}), with finish reason "length"
 * @param stop stop strings (may be empty): generation stops when the decoded completion contains
 *     one; the returned text ends before it (vLLM/OpenAI behaviour)
 * @param seed base seed of the per-completion random streams; null = a fresh random seed
 * @param ignoreEos keep generating after the end-of-sequence token (benchmarks)
 */
public record SamplingParams(
    int n,
    double temperature,
    double topP,
    int topK,
    int maxTokens,
    List<String> stop,
    @dev.stepwise.config.Nullable Long seed,
    boolean ignoreEos) {

  /** Validates the values; {@link UserError} naming the snake_case key and the allowed range. */
  public SamplingParams {
    stop = stop == null ? List.of() : List.copyOf(stop);
    if (n < 1) {
      throw new UserError("sampling param n must be >= 1, got " + n);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new UserError("sampling param temperature must be >= 0, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new UserError("sampling param top_p must be in (0, 1], got " + topP);
    }
    if (maxTokens < 1) {
      throw new UserError("sampling param max_tokens must be >= 1, got " + maxTokens);
    }
    for (String s : stop) {
      if (s == null || s.isEmpty()) {
        throw new UserError("sampling param stop contains an empty string");
      }
    }
  }

  /** vLLM's defaults: n 1, temperature 1, top_p 1, top_k off, 16 tokens, no stop, random seed. */
  public static SamplingParams defaults() {
    return new SamplingParams(1, 1.0, 1.0, -1, 16, List.of(), null, false);
  }

  /** @return a copy with {@code n} replaced */
  public SamplingParams withN(int v) {
    return new SamplingParams(v, temperature, topP, topK, maxTokens, stop, seed, ignoreEos);
  }

  /** @return a copy with {@code temperature} replaced */
  public SamplingParams withTemperature(double v) {
    return new SamplingParams(n, v, topP, topK, maxTokens, stop, seed, ignoreEos);
  }

  /** @return a copy with {@code top_p} replaced */
  public SamplingParams withTopP(double v) {
    return new SamplingParams(n, temperature, v, topK, maxTokens, stop, seed, ignoreEos);
  }

  /** @return a copy with {@code top_k} replaced */
  public SamplingParams withTopK(int v) {
    return new SamplingParams(n, temperature, topP, v, maxTokens, stop, seed, ignoreEos);
  }

  /** @return a copy with {@code max_tokens} replaced */
  public SamplingParams withMaxTokens(int v) {
    return new SamplingParams(n, temperature, topP, topK, v, stop, seed, ignoreEos);
  }

  /** @return a copy with {@code stop} replaced */
  public SamplingParams withStop(List<String> v) {
    return new SamplingParams(n, temperature, topP, topK, maxTokens, v, seed, ignoreEos);
  }

  /** @return a copy with {@code seed} replaced (null = random) */
  public SamplingParams withSeed(Long v) {
    return new SamplingParams(n, temperature, topP, topK, maxTokens, stop, v, ignoreEos);
  }

  /** @return a copy with {@code ignore_eos} replaced */
  public SamplingParams withIgnoreEos(boolean v) {
    return new SamplingParams(n, temperature, topP, topK, maxTokens, stop, seed, v);
  }

  /** @return whether decoding is greedy (temperature below 1e-5, as in vLLM) */
  public boolean greedy() {
    return temperature < 1e-5;
  }
}
