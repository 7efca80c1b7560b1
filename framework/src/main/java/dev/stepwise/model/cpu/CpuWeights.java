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

  /** @return D, the width of the hidden states {@link #hidden} returns */
  abstract int hiddenSize();

  /** @return the LM head in (D, V) layout, as {@link Gemm} reads it */
  abstract float[] headT();

  /** Grows the workspace's buffers to this family's widths for {@code rows} input rows. */
  abstract void prepare(CpuWorkspace ws, int rows, int capPad);

  /** @return the largest position id a token gets (GPT-2: the last learned position; rotary: none) */
  abstract int maxPositionId();

  /**
   * Writes the input embeddings of {@code rows} token ids at the workspace's positions into its
   * residual stream {@code x} (and whatever per-position state the family's layers read).
   */
  abstract void embed(CpuWorkspace ws, long[] ids, int rows);

  /**
   * One block on the residual stream: appends the layer's new keys and values to {@code c} and
   * attends over them.
   *
   * @param trim run attention and MLP for each row's last position only (the last layer of a
   *     prefill that needs only the last logits)
   * @return rows of {@code x} after the block ({@code c.batch} when {@code trim}, else {@code rows})
   */
  abstract int layer(CpuKvCache c, int l, int t, int start, boolean trim, int rows);

  /** The final norm of {@code rows} rows of the workspace's {@code x} into its {@code h}. */
  abstract void finalNorm(CpuWorkspace ws, int rows);

  /**
   * Embeds {@code t} new tokens per row, runs every layer against {@code c} (appending keys and
   * values) and writes the final-normed hidden states into the workspace's {@code h}; advances
   * the cache.
   *
   * @param lastOnly keep only each row's last position (the last layer runs for it alone)
   * @return rows of {@code h}: B when {@code lastOnly}, else B·t
   * @throws IllegalArgumentException when sizes do not match, the cache is full or an id is out
   *     of range (before the cache changes)
   */
  final int trunk(CpuKvCache c, long[] ids, long[] mask, int t, boolean lastOnly) {
    c.checkInput(ids, mask, t);
    int m = c.batch * t;
    int start = c.length;
    CpuWorkspace ws = c.work;
    prepare(ws, m, c.capPad);
    c.positions(mask, t, start, ws.pos, maxPositionId());
    embed(ws, ids, m);
    int rows = m;
    for (int l = 0; l < nLayer; l++) {
      rows = layer(c, l, t, start, lastOnly && t > 1 && l == nLayer - 1, rows);
    }
    finalNorm(ws, rows);
    c.length += t;
    return rows;
  }

  /**
   * Runs {@code t} new tokens per row through the model against {@code c}, appending their keys
   * and values.
   *
   * @param ids (B, t) token ids, row-major
   * @param mask (B, t) 1 = real, or null
   * @param lastOnly return only each row's last position's logits
   * @return logits (B, V) when {@code lastOnly} else (B·t, V), row-major, in the cache's workspace
   *     (valid until its next call)
   */
  final float[] forward(CpuKvCache c, long[] ids, long[] mask, int t, boolean lastOnly) {
    int rows = trunk(c, ids, mask, t, lastOnly);
    float[] logits = c.work.logits(rows * vocab);
    Gemm.matmul(c.work.h, rows, hiddenSize(), headT(), vocab, null, logits, false);
    return logits;
  }

  /** As {@link #forward} with every position kept, stopping before the LM head: (B·t, D). */
  final float[] hidden(CpuKvCache c, long[] ids, long[] mask, int t) {
    trunk(c, ids, mask, t, false);
    return c.work.h;
  }

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
