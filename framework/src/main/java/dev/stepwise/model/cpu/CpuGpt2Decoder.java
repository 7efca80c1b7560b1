package dev.stepwise.model.cpu;

/**
 * GPT-2 incremental decoding in Java against a {@link CpuKvCache}: the same math as the
 * TorchScript step ({@code dev.stepwise.model.Gpt2Script}): pre-LN blocks, fused QKV, exact
 * (erf) GELU, softmax(q·kᵀ/√d_head + padBias)·v, tied LM head; position ids from the cache's
 * per-row counts (left padding: cumulative mask − 1), clamped to the last learned position.
 *
 * <p>Float32 throughout; results differ from libtorch's by rounding (summation order, the GELU's
 * erf approximation ≤ 1.5e-7 absolute), about 1e-6 relative on the logits of the default model.
 *
 * <p>A prefill that needs only the last position's logits computes the last layer's attention
 * and MLP for that position alone (its keys and values are cached before the cut), as the
 * TorchScript step does.
 */
final class CpuGpt2Decoder {
  private CpuGpt2Decoder() {}

  /** See {@link CpuWeights#embed}: token plus learned position embedding. */
  static void embed(CpuGpt2Weights w, CpuWorkspace ws, long[] ids, int m) {
    int d = w.d;
    float[] x = ws.x;
    for (int row = 0; row < m; row++) {
      int e = (int) ids[row];
      int p = ws.pos[row] * d;
      int o = row * d;
      for (int j = 0, vocab = w.vocab; j < d; j++) {
        x[o + j] = w.wteT[j * vocab + e] + w.wpe[p + j];
      }
    }
  }

  /** Copies row {@code r}'s {@code t} new keys and values of layer {@code l} from the QKV buffer into the cache. */
  private static void appendKeysValues(CpuKvCache c, int l, int r, int t, int start) {
    CpuGpt2Weights w = (CpuGpt2Weights) c.weights;
    int d = w.d;
    int hd = w.headDim;
    int nh = w.nHead;
    float[] qkv = c.work.qkv;
    float[] kt = c.keys[r];
    float[] v = c.values[r];
    for (int i = 0; i < t; i++) {
      int src = (r * t + i) * 3 * d;
      int s = start + i;
      for (int hh = 0; hh < nh; hh++) {
        int kBase = (l * nh + hh) * hd * c.capPad + CachedAttention.keyIndex(s, 0, hd);
        int k0 = src + d + hh * hd;
        for (int dd = 0, lanes = CachedAttention.LANES; dd < hd; dd++) {
          kt[kBase + dd * lanes] = qkv[k0 + dd];
        }
        System.arraycopy(qkv, src + 2 * d + hh * hd, v, ((l * nh + hh) * c.capacity + s) * hd, hd);
      }
    }
  }

  /**
   * One block on the workspace's residual stream {@code x} ({@code rows} rows).
   *
   * @return rows of {@code x} after the block ({@code b} when {@code trim}, else {@code rows})
   */
  static int layer(CpuKvCache c, int l, int b, int t, int start, boolean trim, int rows) {
    CpuGpt2Weights w = (CpuGpt2Weights) c.weights;
    CpuWorkspace ws = c.work;
    int d = w.d;
    int hd = w.headDim;
    int nh = w.nHead;
    float[] x = ws.x;
    float[] qkv = ws.qkv;
    VectorMath.layerNorm(x, rows, d, w.ln1W[l], w.ln1B[l], w.eps, ws.h);
    Gemm.matmul(ws.h, rows, d, w.attnW[l], 3 * d, w.attnB[l], qkv, false);
    float scale = (float) (1.0 / Math.sqrt(hd));
    // Row by row: append the row's new keys/values, then attend with its queries at once, so the
    // key tiles just written are still in L1 when the scores read them (writing every row's keys
    // first evicted them again: ~40 % of a batch-32 step went to these misses).
    for (int r = 0; r < b; r++) {
      appendKeysValues(c, l, r, t, start);
      float[] pad = c.hasPadding ? c.padBias[r] : null;
      for (int i = trim ? t - 1 : 0; i < t; i++) {
        int src = (r * t + i) * 3 * d;
        int yRow = trim ? r : r * t + i;
        for (int hh = 0; hh < nh; hh++) {
          float[] q = ws.q;
          for (int dd = 0; dd < hd; dd++) {
            q[dd] = qkv[src + hh * hd + dd] * scale;
          }
          CachedAttention.attend(
              q, c.keys[r], (l * nh + hh) * hd * c.capPad, c.values[r], (l * nh + hh) * c.capacity * hd, hd,
              start + i + 1, pad, ws.scores, ws.y, yRow * d + hh * hd);
        }
      }
    }
    if (trim) {
      for (int r = 0; r < b; r++) {
        System.arraycopy(x, (r * t + t - 1) * d, x, r * d, d);
      }
      rows = b;
    }
    Gemm.matmul(ws.y, rows, d, w.projW[l], d, w.projB[l], x, true);
    VectorMath.layerNorm(x, rows, d, w.ln2W[l], w.ln2B[l], w.eps, ws.h);
    Gemm.matmul(ws.h, rows, d, w.fcW[l], w.inner, w.fcB[l], ws.f, false);
    VectorMath.gelu(ws.f, rows * w.inner);
    Gemm.matmul(ws.f, rows, w.inner, w.mlpW[l], d, w.mlpB[l], x, true);
    return rows;
  }
}
