package dev.stepwise.model;

/**
 * How a decoding kernel picks the next token from logits (the device-side part of sampling;
 * {@code dev.stepwise.generate.SamplingParams} is the user-facing side).
 *
 * @param greedy take the argmax (temperature and the cut-offs are then ignored)
 * @param temperature softmax temperature &gt; 0 (used when not greedy)
 * @param topK keep the k most likely tokens; &le; 0 or &ge; vocabulary size = off
 * @param topP keep the smallest most-likely set with probability &ge; topP, in (0, 1]; 1 = off;
 *     applied after top-k, on the renormalised top-k distribution (vLLM's order)
 */
public record TokenChoice(boolean greedy, double temperature, int topK, double topP) {
  /**
   * @throws IllegalArgumentException when not greedy and temperature &le; 0, or topP is outside
   *     (0, 1]
   */
  public TokenChoice {
    if (!greedy && !(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0 unless greedy, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
    }
  }
}
