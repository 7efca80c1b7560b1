package dev.stepwise.preference.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.stepwise.model.CausalLM;
import dev.stepwise.sft.SftBatch;
import dev.stepwise.train.TokenLogProbs;

/**
 * Sequence log-probabilities of completions: TRL's {@code concatenated_forward} + {@code
 * get_batch_logps}. One forward over the (2B, T) concatenated batch gives per-token
 * log-probabilities of the labels ({@link TokenLogProbs}); the loss mask keeps only completion
 * tokens (prompt and padding contribute nothing), and each row is summed — or averaged over its
 * completion tokens, as TRL does for IPO.
 */
public final class SequenceLogProbs {
  private SequenceLogProbs() {}

  /**
   * @param model the policy or the reference model
   * @param seqs (N, T) batch of sequences
   * @return (N, T) float32 per-token log-probabilities of {@code seqs.labels()} (unmasked, ≤ 0);
   *     differentiable when {@code model} is trainable and grad mode is on
   */
  public static NDArray tokens(CausalLM model, SftBatch seqs) {
    NDArray logits = model.logits(model.hiddenStates(seqs.inputIds(), seqs.attentionMask()));
    return TokenLogProbs.of(logits, seqs.labels());
  }

  /**
   * @param tokenLogps (N, T) float32 per-token log-probabilities
   * @param mask (N, T) float32, 1 on completion labels, 0 elsewhere
   * @param average false: sum over the completion tokens (nats, ≤ 0); true: that sum divided by
   *     the row's completion-token count (at least 1)
   * @param step the step's manager (holds the constant 1 used as the count's floor)
   * @return (N,) float32
   */
  public static NDArray reduce(NDArray tokenLogps, NDArray mask, boolean average, NDManager step) {
    NDArray sums = tokenLogps.mul(mask).sum(new int[] {1});
    if (!average) {
      return sums;
    }
    return sums.div(mask.sum(new int[] {1}).maximum(step.create(1f)));
  }

  /**
   * Scores a batch with one forward.
   *
   * @return (N,) float32 sequence log-probabilities (see {@link #reduce})
   */
  public static NDArray of(CausalLM model, SftBatch seqs, boolean average, NDManager step) {
    return reduce(tokens(model, seqs), seqs.lossMask(), average, step);
  }

  /** @return rows {@code [0, b)} of {@code x} (the chosen half of a concatenated batch) */
  public static NDArray chosen(NDArray x, int b) {
    return x.get(new NDIndex().addSliceDim(0, b));
  }

  /** @return rows {@code [b, 2b)} of {@code x} (the rejected half) */
  public static NDArray rejected(NDArray x, int b) {
    return x.get(new NDIndex().addSliceDim(b, 2L * b));
  }
}
