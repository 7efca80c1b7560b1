package dev.stepwise.preference.data;

import ai.djl.ndarray.NDArray;
import dev.stepwise.config.Nullable;
import dev.stepwise.sft.SftBatch;

/**
 * A DPO micro-batch of B pairs as ONE batch of 2B sequences: rows {@code [0, B)} are prompt +
 * chosen, rows {@code [B, 2B)} are prompt + rejected of the same pairs in the same order (TRL's
 * {@code concatenated_inputs}), right-padded to a common length T.
 *
 * @param sequences (2B, T) ids, attention mask, next-token labels and completion-only loss mask
 *     (see {@link SftBatch}); the prompt and the padding have mask 0
 * @param pairIndices the B pair indices in the data set (row i and row B + i are pair {@code
 *     pairIndices[i]})
 * @param refChosen (B,) float32 precomputed reference log-probabilities of the chosen rows, or
 *     null when the reference model runs in the step
 * @param refRejected (B,) float32, as {@code refChosen} for the rejected rows, or null
 */
public record PairBatch(
    SftBatch sequences, int[] pairIndices, @Nullable NDArray refChosen, @Nullable NDArray refRejected) {
  /** @return B, the number of pairs */
  public int pairs() {
    return pairIndices.length;
  }
}
