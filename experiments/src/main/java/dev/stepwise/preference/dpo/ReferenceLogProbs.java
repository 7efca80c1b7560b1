package dev.stepwise.preference.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.stepwise.model.CausalLM;
import dev.stepwise.preference.data.PairBatch;
import dev.stepwise.preference.data.PairData;
import dev.stepwise.train.NoGrad;

/**
 * Scores every pair of a data set once with the frozen reference model (TRL's {@code
 * precompute_ref_log_probs}): the values the objective would otherwise recompute at every step.
 * Runs without gradients, in the data's natural order, one sub-manager and scope per batch.
 */
@SuppressWarnings("try")
public final class ReferenceLogProbs {
  private ReferenceLogProbs() {}

  /**
   * @param reference the reference model
   * @param data the pairs (any attached reference values are ignored)
   * @param batchSize pairs per forward (2·batchSize sequences), ≥ 1
   * @param average per-token mean instead of sum (IPO)
   * @return {@code {chosen, rejected}}, each float32 of length {@code data.size()}, nats
   */
  public static float[][] compute(CausalLM reference, PairData data, int batchSize, boolean average) {
    int n = data.size();
    float[] chosen = new float[n];
    float[] rejected = new float[n];
    NDManager root = reference.parameters().values().iterator().next().getManager();
    try (NoGrad ignored = NoGrad.open()) {
      for (int from = 0; from < n; from += batchSize) {
        int[] idx = new int[Math.min(batchSize, n - from)];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = from + i;
        }
        try (NDScope scope = new NDScope(); NDManager step = root.newSubManager()) {
          PairBatch batch = data.collate(idx, step);
          NDArray logps = SequenceLogProbs.of(reference, batch.sequences(), average, step);
          float[] v = logps.toFloatArray();
          for (int i = 0; i < idx.length; i++) {
            chosen[from + i] = v[i];
            rejected[from + i] = v[idx.length + i];
          }
        }
      }
    }
    return new float[][] {chosen, rejected};
  }
}
