package dev.stepwise.generate;

/**
 * One generated continuation of a prompt.
 *
 * @param text the decoded new tokens (special tokens dropped), cut before the first stop string
 *     when one matched
 * @param tokenIds the generated token ids, including the EOS token or the tokens that completed a
 *     stop string (as vLLM does), never the prompt
 * @param finishReason {@code "stop"} (EOS or a stop string) or {@code "length"} ({@code
 *     max_tokens} or the context length reached)
 * @param cumulativeLogprob sum over {@code tokenIds} of log p(token | prefix) in nats under the
 *     model's <em>unmodified</em> distribution (log-softmax of the raw logits: no temperature,
 *     top-k or top-p), like vLLM's default {@code raw_logprobs}; what PPO needs as old log-probs
 * @param tokenLogprobs the per-token terms of {@code cumulativeLogprob}, aligned with {@code
 *     tokenIds}
 */
public record Completion(
    String text, int[] tokenIds, String finishReason, double cumulativeLogprob, float[] tokenLogprobs) {
  /** Finish reason of EOS or a stop string. */
  public static final String STOP = "stop";

  /** Finish reason of {@code max_tokens} or the context length. */
  public static final String LENGTH = "length";
}
