package dev.stepwise.api.server;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.KvCache;
import java.util.Arrays;

/**
 * In-process prompt log-probabilities to check the server against, computed independently of
 * the server's {@code PromptScorer}: the prompt is prefilled into a KV cache with {@link
 * CausalLM#decode} (the decoding path, not {@code hiddenStates}), and log-softmax is done here in
 * doubles: {@code lp[t] = logits[t-1][id[t]] - logsumexp(logits[t-1])}.
 */
public final class ReferenceLogprobs {
  /** Per position t &ge; 1 the log-probability of ids[t]; index 0 is NaN. */
  public final double[] logprobs;

  /** Per position t &ge; 1 the full log-softmax row of position t - 1 (to check alternatives). */
  public final double[][] rows;

  /** @param model the model; must not be used by another thread meanwhile */
  public ReferenceLogprobs(CausalLM model, int[] ids) {
    int t = ids.length;
    int v = model.config().vocabSize();
    float[] logits;
    try (NDManager m = NDManager.newBaseManager();
        KvCache cache = model.newCache(m, 1, t)) {
      NDArray out = model.decode(m.create(Arrays.stream(ids).asLongStream().toArray(), new Shape(1, t)), null, cache);
      logits = out.toFloatArray();
    }
    logprobs = new double[t];
    rows = new double[t][];
    logprobs[0] = Double.NaN;
    for (int pos = 1; pos < t; pos++) {
      int base = (pos - 1) * v;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        max = Math.max(max, logits[base + k]);
      }
      double sum = 0;
      for (int k = 0; k < v; k++) {
        sum += Math.exp(logits[base + k] - max);
      }
      double lse = max + Math.log(sum);
      double[] row = new double[v];
      for (int k = 0; k < v; k++) {
        row[k] = logits[base + k] - lse;
      }
      rows[pos] = row;
      logprobs[pos] = row[ids[pos]];
    }
  }

  /** @return the ids of the k largest entries of {@code rows[pos]}, largest first */
  public int[] top(int pos, int k) {
    double[] row = rows[pos];
    return java.util.stream.IntStream.range(0, row.length).boxed()
        .sorted((a, b) -> Double.compare(row[b], row[a])).limit(k).mapToInt(Integer::intValue).toArray();
  }
}
