package dev.stepwise.model.cpu;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * What every Java decoder's weight snapshot tells its {@link CpuKvCache}: the vocabulary, the
 * depth, the key/value heads the cache stores per layer, d_head and the context length.
 */
public abstract class CpuWeights {
  final int vocab, nLayer, cacheHeads, headDim, nPositions;

  CpuWeights(int vocab, int nLayer, int cacheHeads, int headDim, int nPositions) {
    this.vocab = vocab;
    this.nLayer = nLayer;
    this.cacheHeads = cacheHeads;
    this.headDim = headDim;
    this.nPositions = nPositions;
  }

  /** @return the width of the hidden states {@link #hidden} returns */
  abstract int hiddenSize();

  /**
   * Runs {@code t} new tokens per row through the model against {@code c}, appending their keys
   * and values.
   *
   * @param ids (B, t) token ids, row-major
   * @param mask (B, t) 1 = real, or null
   * @param lastOnly return only each row's last position's logits
   * @return logits (B, V) when {@code lastOnly} else (B·t, V), row-major, in the cache's workspace
   */
  abstract float[] forward(CpuKvCache c, long[] ids, long[] mask, int t, boolean lastOnly);

  /** As {@link #forward} with every position kept, stopping before the LM head: (B·t, D). */
  abstract float[] hidden(CpuKvCache c, long[] ids, long[] mask, int t);

  /**
   * @return a float32 copy of parameter {@code name}
   * @throws IllegalArgumentException when it is missing or has another number of elements
   */
  static float[] get(Map<String, NDArray> params, String name, long size) {
    NDArray p = params.get(name);
    if (p == null) {
      throw new IllegalArgumentException("parameter " + name + " is missing");
    }
    if (p.size() != size) {
      throw new IllegalArgumentException("parameter " + name + " has " + p.size() + " elements, expected " + size);
    }
    return p.toFloatArray();
  }
}
