package dev.stepwise.generate;

/**
 * The log-probabilities a causal model gives each token of a prompt, given the tokens before it
 * (what vLLM returns as {@code prompt_logprobs}, and OpenAI's {@code echo} with {@code logprobs}).
 *
 * <p>Position 0 has no preceding token, so it has no value: {@code logprobs[0]} is {@link
 * Float#NaN} and {@code topIds[0]}, {@code topLogprobs[0]} are null (OpenAI and vLLM answer
 * {@code null} there). Every other value is {@code log softmax(logits[t - 1])[id]} in nats under
 * the model's unmodified distribution (no temperature, top-k or top-p), so each is &le; 0.
 *
 * @param tokenIds the prompt's T token ids, in [0, vocab)
 * @param logprobs T values; {@code logprobs[t]} = log p(tokenIds[t] | tokenIds[0..t-1]) for t &ge; 1
 * @param topIds per position the k most likely ids, most likely first (k = the {@code topK}
 *     asked of {@link PromptScorer#score}; an empty array when k = 0); null at position 0
 * @param topLogprobs their log-probabilities, aligned with {@code topIds}; null at position 0
 */
public record PromptLogprobs(int[] tokenIds, float[] logprobs, int[][] topIds, float[][] topLogprobs) {
  /** @return the sum of the defined values (positions 1..T-1), in nats; 0 for a one-token prompt */
  public double total() {
    double s = 0;
    for (int t = 1; t < logprobs.length; t++) {
      s += logprobs[t];
    }
    return s;
  }

  /** @return a copy keeping only the {@code k} most likely alternatives per position */
  public PromptLogprobs withTopK(int k) {
    int[][] ids = new int[topIds.length][];
    float[][] lps = new float[topIds.length][];
    for (int t = 1; t < ids.length; t++) {
      int kk = Math.min(k, topIds[t].length);
      ids[t] = java.util.Arrays.copyOf(topIds[t], kk);
      lps[t] = java.util.Arrays.copyOf(topLogprobs[t], kk);
    }
    return new PromptLogprobs(tokenIds, logprobs, ids, lps);
  }
}
