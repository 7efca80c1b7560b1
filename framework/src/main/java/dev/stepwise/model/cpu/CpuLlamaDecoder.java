package dev.stepwise.model.cpu;

/**
 * Llama-family incremental decoding in Java against a {@link CpuKvCache}: the math of {@code
 * LlamaGraph} (RMSNorm pre-norm blocks, fused q/k/v projection with optional biases, Qwen3's
 * per-head q/k RMSNorm, rotary embeddings in the rotate-half layout, grouped-query attention
 * over cached keys/values, SwiGLU MLP, final RMSNorm, tied or untied head), one decode call at a
 * time.
 *
 * <p>The cache stores the KVH key/value heads only; query head h attends with key/value head
 * {@code h / (H / KVH)}. Position ids come from the cache's per-row counts (left padding: the
 * mask's cumulative sum − 1), and each row's rotary angles are computed once per call in double
 * ({@code pos · inv_freq}) and shared by all layers. Float32 otherwise; differences from the
 * libtorch graph are rounding (summation order), about 1e-6 relative on the logits.
 *
 * <p>A prefill that needs only the last position's logits computes the last layer's attention
 * and MLP for that position alone (its keys and values are cached before the cut), as the GPT-2
 * decoder does.
 */
final class CpuLlamaDecoder {
  private CpuLlamaDecoder() {}

  /** See {@link CpuWeights#embed}: token embedding, and the rows' rotary angles for the layers. */
  static void embed(CpuLlamaWeights w, CpuWorkspace ws, long[] ids, int m) {
    angles(w, ws, m);
    int d = w.d;
    float[] x = ws.x;
    for (int row = 0; row < m; row++) {
      int e = (int) ids[row];
      int o = row * d;
      if (w.embed != null) {
        System.arraycopy(w.embed, e * d, x, o, d);
      } else {
        for (int j = 0, vocab = w.vocab; j < d; j++) {
          x[o + j] = w.headT[j * vocab + e];
        }
      }
    }
  }

  /** cos/sin of every input row's position times each inverse frequency, (m, d_head / 2). */
  private static void angles(CpuLlamaWeights w, CpuWorkspace ws, int m) {
    int half = w.headDim / 2;
    ws.ensureRope(m * half);
    for (int row = 0; row < m; row++) {
      double p = ws.pos[row];
      for (int i = 0; i < half; i++) {
        double a = p * w.invFreq[i];
        ws.cos[row * half + i] = (float) Math.cos(a);
        ws.sin[row * half + i] = (float) Math.sin(a);
      }
    }
  }

  /** One block on the workspace's residual stream; returns the rows of {@code x} after it. */
  static int layer(CpuKvCache c, int l, int b, int t, int start, boolean trim, int rows) {
    CpuLlamaWeights w = (CpuLlamaWeights) c.weights;
    CpuWorkspace ws = c.work;
    int d = w.d;
    int hd = w.headDim;
    int nh = w.c.numHeads();
    int kvh = w.cacheHeads;
    int groups = nh / kvh;
    int width = w.qkvWidth;
    float[] x = ws.x;
    float[] qkv = ws.qkv;
    LlamaMath.rmsNorm(x, 0, rows, d, w.inNorm[l], w.eps, ws.h);
    Gemm.matmul(ws.h, rows, d, w.qkvW[l], width, w.qkvB[l], qkv, false);
    int half = hd / 2;
    for (int row = 0; row < rows; row++) { // per-head q/k norm, then rotate q and k
      int o = row * width;
      if (w.qNorm[l] != null) {
        LlamaMath.rmsNorm(qkv, o, nh, hd, w.qNorm[l], w.eps, qkv);
        LlamaMath.rmsNorm(qkv, o + w.qDim, kvh, hd, w.kNorm[l], w.eps, qkv);
      }
      LlamaMath.rope(qkv, o, nh + kvh, hd, ws.cos, ws.sin, row * half);
    }
    float scale = (float) (1.0 / Math.sqrt(hd));
    for (int r = 0; r < b; r++) {
      append(c, l, r, t, start);
      float[] pad = c.hasPadding ? c.padBias[r] : null;
      for (int i = trim ? t - 1 : 0; i < t; i++) {
        int src = (r * t + i) * width;
        int yRow = trim ? r : r * t + i;
        for (int hh = 0; hh < nh; hh++) {
          float[] q = ws.q;
          for (int dd = 0; dd < hd; dd++) {
            q[dd] = qkv[src + hh * hd + dd] * scale;
          }
          int kv = hh / groups;
          CachedAttention.attend(
              q, c.keys[r], (l * kvh + kv) * hd * c.capPad, c.values[r], (l * kvh + kv) * c.capacity * hd, hd,
              start + i + 1, pad, ws.scores, ws.y, yRow * w.qDim + hh * hd);
        }
      }
    }
    if (trim) {
      for (int r = 0; r < b; r++) {
        System.arraycopy(x, (r * t + t - 1) * d, x, r * d, d);
      }
      rows = b;
    }
    Gemm.matmul(ws.y, rows, w.qDim, w.oW[l], d, w.oB[l], x, true);
    LlamaMath.rmsNorm(x, 0, rows, d, w.postNorm[l], w.eps, ws.h);
    Gemm.matmul(ws.h, rows, d, w.guW[l], 2 * w.inter, w.guB[l], ws.f, false);
    LlamaMath.swiglu(ws.f, rows, w.inter);
    Gemm.matmul(ws.f, rows, w.inter, w.downW[l], d, w.downB[l], x, true);
    return rows;
  }

  /** Copies row {@code r}'s {@code t} new (rotated) keys and values of layer {@code l} into the cache. */
  private static void append(CpuKvCache c, int l, int r, int t, int start) {
    CpuLlamaWeights w = (CpuLlamaWeights) c.weights;
    int hd = w.headDim;
    int kvh = w.cacheHeads;
    float[] qkv = c.work.qkv;
    float[] kt = c.keys[r];
    float[] v = c.values[r];
    for (int i = 0; i < t; i++) {
      int src = (r * t + i) * w.qkvWidth;
      int s = start + i;
      for (int hh = 0; hh < kvh; hh++) {
        int kBase = (l * kvh + hh) * hd * c.capPad + CachedAttention.keyIndex(s, 0, hd);
        int k0 = src + w.qDim + hh * hd;
        for (int dd = 0, lanes = CachedAttention.LANES; dd < hd; dd++) {
          kt[kBase + dd * lanes] = qkv[k0 + dd];
        }
        System.arraycopy(qkv, src + w.qDim + w.kvDim + hh * hd, v, ((l * kvh + hh) * c.capacity + s) * hd, hd);
      }
    }
  }
}
