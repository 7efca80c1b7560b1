package dev.stepwise.train;

import ai.djl.ndarray.NDArray;

/**
 * Per-token log-probabilities of given labels under a model's logits: the building block of
 * SFT's cross-entropy, DPO's sequence log-probs and PPO's ratios.
 */
public final class TokenLogProbs {
  private TokenLogProbs() {}

  /**
   * {@code log softmax(logits)[b, t, labels[b, t]]}.
   *
   * @param logits (B, T, V) float32 scores
   * @param labels (B, T) int64 token ids in [0, V); positions to ignore may hold any valid id
   *     (the caller masks them)
   * @return (B, T) float32 log-probabilities, each ≤ 0; differentiable with respect to logits
   */
  public static NDArray of(NDArray logits, NDArray labels) {
    NDArray logp = logits.logSoftmax(-1);
    return logp.gather(labels.expandDims(-1), -1).squeeze(-1);
  }
}
