package dev.stepwise.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.stepwise.config.UserError;
import dev.stepwise.model.CausalLM;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Scores given token sequences: every token's log-probability under a {@link CausalLM} given the
 * tokens before it, plus the most likely alternatives per position (vLLM's {@code
 * prompt_logprobs}; what the server's {@code echo} + {@code logprobs} answers, and how a policy's
 * or reference model's log-probabilities are read through the API).
 *
 * <p>One forward per batch, with autograd off: {@link CausalLM#hiddenStates} over the
 * right-padded batch (causality keeps padding out of the real positions, so no mask is needed
 * and positions start at 0 as in an unpadded forward), then per prompt {@link CausalLM#logits},
 * log-softmax and a gather of the next token, {@link #HEAD_ROWS} positions at a time so a large
 * vocabulary never needs a (B, T, V) array. Prompts are sorted by length and batched up to
 * {@link #MAX_BATCH_TOKENS} padded positions. Uses only the {@code CausalLM} interface, so it
 * works for any model family.
 *
 * <p>Not thread-safe with respect to the model: call it from the thread that owns the model
 * (the server's batcher worker). Always sees the current parameter values.
 */
public final class PromptScorer {
  /** Most padded positions (rows × longest prompt) in one forward. */
  static final int MAX_BATCH_TOKENS = 8192;

  /** Most positions sent through the LM head at once: bounds the log-softmax to HEAD_ROWS × V floats. */
  static final int HEAD_ROWS = 256;

  private final CausalLM model;
  private final int headRows;
  private final int maxBatchTokens;

  /** @param model the model whose log-probabilities are read */
  public PromptScorer(CausalLM model) {
    this(model, HEAD_ROWS, MAX_BATCH_TOKENS);
  }

  /** With other chunk sizes (tests exercise the chunking with small ones). */
  PromptScorer(CausalLM model, int headRows, int maxBatchTokens) {
    this.model = model;
    this.headRows = headRows;
    this.maxBatchTokens = maxBatchTokens;
  }

  /**
   * @param prompts token ids per prompt: at least one id each, ids in [0, vocab_size), at most
   *     {@code n_positions} ids
   * @param topK alternatives to return per position, in [0, vocab_size]
   * @return one {@link PromptLogprobs} per prompt, in order
   * @throws UserError when a prompt is empty, too long or holds an id outside the vocabulary, or
   *     topK is out of range
   */
  public List<PromptLogprobs> score(List<int[]> prompts, int topK) {
    int vocab = model.config().vocabSize();
    int ctx = model.config().nPositions();
    if (topK < 0 || topK > vocab) {
      throw new UserError("top-k alternatives must be in [0, " + vocab + "], got " + topK);
    }
    for (int i = 0; i < prompts.size(); i++) {
      int[] p = prompts.get(i);
      if (p.length == 0) {
        throw new UserError("prompt " + i + " is empty: there is nothing to score");
      }
      if (p.length > ctx) {
        throw new UserError("prompt " + i + " has " + p.length + " tokens, more than the model's context length n_positions=" + ctx);
      }
      for (int id : p) {
        if (id < 0 || id >= vocab) {
          throw new UserError("prompt " + i + " contains token id " + id + " outside [0, " + vocab + ")");
        }
      }
    }
    Integer[] order = new Integer[prompts.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -prompts.get(i).length).thenComparingInt(i -> i));
    PromptLogprobs[] out = new PromptLogprobs[prompts.size()];
    List<Integer> batch = new ArrayList<>();
    for (int i : order) {
      // sorted longest first, so the batch's first prompt sets its padded length
      int width = batch.isEmpty() ? prompts.get(i).length : prompts.get(batch.get(0)).length;
      if (!batch.isEmpty() && (batch.size() + 1) * width > maxBatchTokens) {
        scoreBatch(batch, prompts, topK, out);
        batch = new ArrayList<>();
      }
      batch.add(i);
    }
    if (!batch.isEmpty()) {
      scoreBatch(batch, prompts, topK, out);
    }
    return List.of(out);
  }

  private void scoreBatch(List<Integer> batch, List<int[]> prompts, int topK, PromptLogprobs[] out) {
    int b = batch.size();
    int t = prompts.get(batch.get(0)).length;
    long[] ids = new long[b * t]; // right padding with id 0: never seen by earlier positions
    for (int r = 0; r < b; r++) {
      int[] p = prompts.get(batch.get(r));
      for (int k = 0; k < p.length; k++) {
        ids[r * t + k] = p[k];
      }
    }
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager m = NDManager.newBaseManager(model.parameters().values().iterator().next().getDevice())) {
      NDArray hidden = model.hiddenStates(m.create(ids, new Shape(b, t)), null);
      for (int r = 0; r < b; r++) {
        out[batch.get(r)] = scoreRow(hidden, r, prompts.get(batch.get(r)), topK, m);
      }
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  private PromptLogprobs scoreRow(NDArray hidden, int row, int[] p, int topK, NDManager m) {
    int len = p.length;
    float[] lps = new float[len];
    int[][] topIds = new int[len][];
    float[][] topLps = new float[len][];
    lps[0] = Float.NaN;
    for (int s = 0; s < len - 1; s += headRows) {
      int e = Math.min(len - 1, s + headRows);
      try (NDManager sub = m.newSubManager()) {
        NDArray h = hidden.get(new NDIndex("{}, {}:{}", row, s, e));
        h.attach(sub);
        NDArray lsm = model.logits(h).logSoftmax(-1); // (P, V): position q predicts token q + 1
        long[] next = new long[e - s];
        for (int q = s; q < e; q++) {
          next[q - s] = p[q + 1];
        }
        float[] picked = lsm.gather(sub.create(next, new Shape(e - s, 1)), -1).toFloatArray();
        System.arraycopy(picked, 0, lps, s + 1, e - s);
        if (topK > 0) {
          NDList top = lsm.topK(topK, -1, true, true);
          float[] vals = top.get(0).toFloatArray();
          long[] idx = top.get(1).toLongArray();
          for (int q = 0; q < e - s; q++) {
            topLps[s + 1 + q] = Arrays.copyOfRange(vals, q * topK, (q + 1) * topK);
            int[] ti = new int[topK];
            for (int k = 0; k < topK; k++) {
              ti[k] = (int) idx[q * topK + k];
            }
            topIds[s + 1 + q] = ti;
          }
        } else {
          for (int q = s + 1; q <= e; q++) {
            topIds[q] = new int[0];
            topLps[q] = new float[0];
          }
        }
      }
    }
    return new PromptLogprobs(p.clone(), lps, topIds, topLps);
  }
}
