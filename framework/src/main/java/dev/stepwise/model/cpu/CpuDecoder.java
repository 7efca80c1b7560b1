package dev.stepwise.model.cpu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.TokenChoice;
import java.util.Map;

/**
 * The Java CPU decoder's entry points for every model family ({@code Gpt2Model}, {@code
 * LlamaModel}): the {@link dev.stepwise.model.CausalLM} decode contract ({@code newCache}, {@code decode}, {@code
 * decodeLast}, {@code sampleAndDecode}) over a {@link CpuKvCache}, converting token ids and
 * logits at the boundary (one copy per call, not per op). Shapes and semantics are those of
 * {@link dev.stepwise.model.CausalLM}. A family supplies its weight snapshot ({@link CpuWeights}: {@link CpuGpt2Decoder}, {@link CpuLlamaDecoder} for the math).
 *
 * <p>Only usable when the Vector API module is present ({@link CpuDecoding#enabled()}).
 */
public final class CpuDecoder {
  private CpuDecoder() {}

  /**
   * A cache holding a snapshot of the model's current parameters.
   *
   * @param config the model's shape
   * @param params its parameters by Hugging Face name
   * @param batch rows of the first decode call, ≥ 1
   * @param capacity positions, ≥ 1
   * @throws IllegalArgumentException on non-positive sizes or a malformed parameter map
   */
  public static KvCache newGpt2Cache(ModelConfig config, Map<String, NDArray> params, int batch, int capacity) {
    return new CpuKvCache(new CpuGpt2Weights(config, params), batch, capacity);
  }

  /**
   * A cache decoding with an existing weight snapshot (shared, read-only, by all its caches).
   *
   * @throws IllegalArgumentException on non-positive sizes
   */
  public static KvCache newCache(CpuWeights weights, int batch, int capacity) {
    return new CpuKvCache(weights, batch, capacity);
  }

  /** @return whether {@code cache} belongs to this decoder */
  public static boolean owns(KvCache cache) {
    return cache instanceof CpuKvCache;
  }

  /**
   * {@code CausalLM.decode} / {@code decodeLast} on a cache of this decoder.
   *
   * @param ids (B, T) integer token ids
   * @param mask (B, T) 1 = real token, or null
   * @return (B, T, V) float32 logits, or (B, V) when {@code lastOnly}; owned by {@code ids}'
   *     manager
   * @throws IllegalArgumentException when shapes do not match, the cache is full or an id is out
   *     of range
   */
  public static NDArray decode(NDArray ids, NDArray mask, KvCache cache, boolean lastOnly) {
    CpuKvCache c = (CpuKvCache) cache;
    long[] shape = ids.getShape().getShape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("input ids must be (B, T), got " + ids.getShape());
    }
    if (shape[0] != c.batch) {
      throw new IllegalArgumentException("input has " + shape[0] + " rows but the cache has " + c.batch);
    }
    if (mask != null && !mask.getShape().equals(ids.getShape())) {
      throw new IllegalArgumentException(
          "attention mask " + mask.getShape() + " does not match input ids " + ids.getShape());
    }
    int b = (int) shape[0];
    int t = (int) shape[1];
    float[] logits = c.weights.forward(c, longs(ids), mask == null ? null : longs(mask), t, lastOnly);
    int v = c.weights.vocab;
    Shape out = lastOnly ? new Shape(b, v) : new Shape(b, t, v);
    return ids.getManager().create(java.nio.FloatBuffer.wrap(logits, 0, (int) out.size()), out, DataType.FLOAT32);
  }

  /**
   * {@code CausalLM.sampleAndDecode} on a cache of this decoder: {@code steps} times, choose a
   * token per row with {@link TokenChooser} and decode it.
   *
   * @param logits (B, V) float32
   * @param uniforms B·steps numbers in [0, 1), row r at step s at {@code r * steps + s}
   * @return the chosen ids and raw log-probabilities, and the logits after the last step (owned
   *     by {@code manager})
   * @throws IllegalArgumentException when shapes do not match or the cache is too small
   */
  public static DecodedBlock sampleAndDecode(
      NDArray logits, KvCache cache, TokenChoice choice, float[] uniforms, int steps, NDManager manager) {
    CpuKvCache c = (CpuKvCache) cache;
    c.checkOpen();
    int b = c.batch;
    int v = c.weights.vocab;
    if (steps < 1 || uniforms.length != b * steps) {
      throw new IllegalArgumentException(
          "need steps >= 1 and " + b + " x " + steps + " uniforms, got " + steps + " and " + uniforms.length);
    }
    if (!logits.getShape().equals(new Shape(b, v))) {
      throw new IllegalArgumentException("logits " + logits.getShape() + " are not (" + b + ", " + v + ")");
    }
    if (c.length + steps > c.capacity) {
      throw new IllegalArgumentException(
          "cache full: " + c.length + " positions used + " + steps + " new > capacity " + c.capacity);
    }
    float[] cur = logits.toFloatArray();
    long[] ids = new long[b * steps];
    float[] lps = new float[b * steps];
    long[] tok = new long[b];
    TokenChooser chooser = c.chooser();
    for (int s = 0; s < steps; s++) {
      for (int r = 0; r < b; r++) {
        int id = chooser.choose(cur, r * v, choice, uniforms[r * steps + s]);
        ids[r * steps + s] = id;
        lps[r * steps + s] = chooser.lastLogprob();
        tok[r] = id;
      }
      cur = c.weights.forward(c, tok, null, 1, true);
    }
    NDArray next = manager.create(java.nio.FloatBuffer.wrap(cur, 0, b * v), new Shape(b, v), DataType.FLOAT32);
    return new DecodedBlock(next, ids, lps, steps);
  }

  /**
   * Rows per concurrently decoded sampler chunk: the GEMM's row tile. Chunks this small keep a
   * worker's KV cache and weights closer to its caches and let two workers balance 8 chunks of a
   * batch of 32 instead of 2: batch-32 sampling measured 27.5k tok/s mean (20.8k–30.1k, 7 runs)
   * against 23.4k (18.9k–29.0k) with one chunk per worker; 2-row chunks fell to 16–17k
   * (docs/benchmarks.md).
   */
  public static final int CHUNK_ROWS = 4;

  /** Rows per task of {@link #hiddenStates}: smaller batches run on the calling thread alone. */
  static final int MIN_ROWS_PER_TASK = 4;

  /**
   * {@code CausalLM.hiddenStates} without a graph: the full-sequence forward of the Java decoder
   * (a prefill into a throw-away cache), rows split over the common fork-join pool.
   *
   * @param config the model's shape
   * @param params its parameters by Hugging Face name (read now)
   * @param ids (B, T) integer token ids, T ≤ n_positions
   * @param mask (B, T) 1 = real token, or null
   * @return (B, T, D) float32 final-LayerNorm'ed hidden states, owned by {@code ids}' manager
   * @throws IllegalArgumentException when shapes do not match or an id is out of range
   */
  public static NDArray gpt2HiddenStates(ModelConfig config, Map<String, NDArray> params, NDArray ids, NDArray mask) {
    return hiddenStates(new CpuGpt2Weights(config, params), ids, mask);
  }

  /**
   * {@code CausalLM.hiddenStates} without a graph for any family's weight snapshot.
   *
   * @param ids (B, T) integer token ids
   * @param mask (B, T) 1 = real token, or null
   * @return (B, T, D) float32, owned by {@code ids}' manager
   * @throws IllegalArgumentException when shapes do not match or an id is out of range
   */
  public static NDArray hiddenStates(CpuWeights w, NDArray ids, NDArray mask) {
    long[] shape = ids.getShape().getShape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("input ids must be (B, T), got " + ids.getShape());
    }
    if (mask != null && !mask.getShape().equals(ids.getShape())) {
      throw new IllegalArgumentException(
          "attention mask " + mask.getShape() + " does not match input ids " + ids.getShape());
    }
    int b = (int) shape[0];
    int t = (int) shape[1];
    long[] idv = longs(ids);
    long[] maskv = mask == null ? null : longs(mask);
    int d = w.hiddenSize();
    float[] out = new float[b * t * d];
    int tasks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), b / MIN_ROWS_PER_TASK));
    java.util.stream.IntStream.range(0, tasks).parallel().forEach(k -> {
      int r0 = (int) ((long) b * k / tasks);
      int r1 = (int) ((long) b * (k + 1) / tasks);
      int n = (r1 - r0) * t;
      CpuKvCache c = new CpuKvCache(w, r1 - r0, t);
      long[] part = java.util.Arrays.copyOfRange(idv, r0 * t, r0 * t + n);
      long[] partMask = maskv == null ? null : java.util.Arrays.copyOfRange(maskv, r0 * t, r0 * t + n);
      System.arraycopy(w.hidden(c, part, partMask, t), 0, out, r0 * t * d, n * d);
    });
    return ids.getManager().create(out, new Shape(b, t, d));
  }

  private static long[] longs(NDArray a) {
    if (a.getDataType() == DataType.INT64) {
      return a.toLongArray();
    }
    try (NDArray l = a.toType(DataType.INT64, true)) {
      return l.toLongArray();
    }
  }
}
