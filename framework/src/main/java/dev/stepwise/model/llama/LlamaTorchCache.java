package dev.stepwise.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.SamplingKernel;
import dev.stepwise.model.TokenChoice;
import dev.stepwise.model.TorchScript;
import java.util.Arrays;

/**
 * The libtorch decode path of Llama-family models, used where the Java decoder cannot run (a
 * model on a CUDA device, or {@code -Dstepwise.decoder=torch}): the "cache" keeps the token ids
 * and padding of every row, and each decode call runs {@link LlamaGraph#hiddenStates} on the
 * whole sequence so far (no recording) and returns the new positions' logits. Every step
 * therefore costs a full forward, O(T²) over a generation instead of the O(T) of a key/value
 * cache: correct and simple, and on a GPU fast enough for smoke tests and short GSM8K solutions;
 * a cached libtorch decode step for this family is future work (docs/gpu.md). Tokens are chosen
 * by {@link SamplingKernel}'s kernel, so sampling matches the other decoders' semantics.
 */
final class LlamaTorchCache implements KvCache {
  private static final String CLASS = "TokenChoose";
  private static final String SOURCE = "class TokenChoose(Module):\n  __parameters__ = []\n  __buffers__ = []\n"
      + "  training : bool\n" + SamplingKernel.chooseMethod(CLASS);

  private final LlamaGraph graph;
  private final int capacity;
  private long[][] ids;
  private long[][] mask;
  private int length;
  private boolean closed;

  LlamaTorchCache(LlamaGraph graph, int batch, int capacity) {
    if (batch < 1 || capacity < 1) {
      throw new IllegalArgumentException("batch " + batch + ", capacity " + capacity);
    }
    this.graph = graph;
    this.capacity = capacity;
    this.ids = new long[batch][capacity];
    this.mask = new long[batch][capacity];
  }

  @Override
  public int batch() {
    return ids.length;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void selectRows(int[] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("selectRows needs at least one row");
    }
    long[][] i2 = new long[rows.length][];
    long[][] m2 = new long[rows.length][];
    for (int j = 0; j < rows.length; j++) {
      if (rows[j] < 0 || rows[j] >= ids.length) {
        throw new IllegalArgumentException("row " + rows[j] + " out of range [0, " + ids.length + ")");
      }
      i2[j] = ids[rows[j]].clone();
      m2[j] = mask[rows[j]].clone();
    }
    ids = i2;
    mask = m2;
  }

  /**
   * Appends (B, T_new) tokens and returns the logits of the new positions ((B, T_new, V), or (B,
   * V) with {@code lastOnly}), owned by {@code inputIds}' manager.
   */
  NDArray decode(NDArray inputIds, NDArray attentionMask, boolean lastOnly) {
    if (closed) {
      throw new IllegalStateException("cache closed");
    }
    long[] shape = inputIds.getShape().getShape();
    int b = (int) shape[0];
    int t = (int) shape[1];
    if (b != ids.length) {
      throw new IllegalArgumentException("input has " + b + " rows but the cache has " + ids.length);
    }
    if (length + t > capacity) {
      throw new IllegalArgumentException("cache full: " + length + " positions used + " + t + " new > capacity " + capacity);
    }
    long[] newIds = inputIds.toType(DataType.INT64, false).toLongArray();
    long[] newMask = attentionMask == null ? null : attentionMask.toType(DataType.INT64, false).toLongArray();
    for (int r = 0; r < b; r++) {
      for (int k = 0; k < t; k++) {
        ids[r][length + k] = newIds[r * t + k];
        mask[r][length + k] = newMask == null ? 1 : newMask[r * t + k];
      }
    }
    length += t;
    NDManager m = inputIds.getManager();
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager tmp = m.newSubManager()) {
      long[] flatIds = new long[b * length];
      long[] flatMask = new long[b * length];
      boolean padded = false;
      for (int r = 0; r < b; r++) {
        System.arraycopy(ids[r], 0, flatIds, r * length, length);
        System.arraycopy(mask[r], 0, flatMask, r * length, length);
        padded |= Arrays.stream(mask[r], 0, length).anyMatch(v -> v == 0);
      }
      Shape s = new Shape(b, length);
      NDArray hidden = graph.hiddenStates(tmp.create(flatIds, s), padded ? tmp.create(flatMask, s) : null);
      NDArray tail = lastOnly ? hidden.get(":, -1, :") : hidden.get(":, " + (length - t) + ":, :");
      NDArray logits = graph.logits(tail);
      logits.attach(m);
      return logits;
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  /** {@link dev.stepwise.model.CausalLM#sampleAndDecode} on this cache. */
  DecodedBlock sampleAndDecode(NDArray logits, TokenChoice choice, float[] uniforms, int steps, NDManager m) {
    int b = ids.length;
    if (steps < 1 || uniforms.length != b * steps) {
      throw new IllegalArgumentException("need steps >= 1 and " + b + " x " + steps + " uniforms, got " + steps + " and " + uniforms.length);
    }
    if (length + steps > capacity) {
      throw new IllegalArgumentException("cache full: " + length + " positions used + " + steps + " new > capacity " + capacity);
    }
    TorchScript kernel = TorchScript.compile(CLASS, SOURCE);
    long[] chosen = new long[b * steps];
    float[] lps = new float[b * steps];
    NDArray cur = logits;
    for (int s = 0; s < steps; s++) {
      try (NDManager tmp = m.newSubManager(cur.getDevice())) {
        float[] col = new float[b];
        for (int r = 0; r < b; r++) {
          col[r] = uniforms[r * steps + s];
        }
        NDArray u = tmp.create(col, new Shape(b, 1));
        IValue[] args = {IValue.from((PtNDArray) cur), IValue.from((PtNDArray) u),
          IValue.from(choice.greedy() ? 1.0 : 1.0 / choice.temperature()), IValue.from((long) choice.topK()),
          IValue.from(choice.topP()), IValue.from(choice.greedy())};
        NDArray tok;
        try (IValue out = kernel.run("choose", args)) {
          IValue[] parts = out.toIValueTuple();
          tok = parts[0].toTensor((PtNDManager) tmp);
          long[] id = tok.toLongArray();
          float[] lp = parts[1].toTensor((PtNDManager) tmp).toFloatArray();
          for (IValue p : parts) {
            p.close();
          }
          for (int r = 0; r < b; r++) {
            chosen[r * steps + s] = id[r];
            lps[r * steps + s] = lp[r];
          }
        } finally {
          for (IValue a : args) {
            a.close();
          }
        }
        NDArray next = decode(tok, null, true);
        next.attach(m);
        if (cur != logits) {
          cur.close();
        }
        cur = next;
      }
    }
    return new DecodedBlock(cur, chosen, lps, steps);
  }

  @Override
  public void close() {
    closed = true;
  }
}
