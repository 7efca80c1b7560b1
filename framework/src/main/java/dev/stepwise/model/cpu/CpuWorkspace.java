package dev.stepwise.model.cpu;

/**
 * Scratch buffers of one {@link CpuKvCache}'s decoder, grown on demand and reused across steps so
 * that a decode step allocates nothing. Sizes are in floats (ints for {@link #pos}).
 */
final class CpuWorkspace {
  /** Residual stream (rows, D). */
  float[] x = new float[0];
  /** LayerNorm output (rows, D). */
  float[] h = new float[0];
  /** Fused QKV projection (rows, 3D). */
  float[] qkv = new float[0];
  /** Attention output, heads concatenated (rows, D). */
  float[] y = new float[0];
  /** MLP hidden activations (rows, I). */
  float[] f = new float[0];
  /** Logits (rows, V), sized by {@link #logits(int)} only when the LM head runs. */
  private float[] logits = new float[0];
  /** One query's attention scores/probabilities (capPad). */
  float[] scores = new float[0];
  /** One query head, pre-scaled by 1/√d_head (d_head). */
  float[] q = new float[0];
  /** Position id of each input row (rows). */
  int[] pos = new int[0];

  /** Makes every buffer large enough for {@code rows} rows of model {@code w} and cache width {@code capPad}. */
  void ensure(CpuGpt2Weights w, int rows, int capPad) {
    x = grow(x, rows * w.d);
    h = grow(h, rows * w.d);
    qkv = grow(qkv, rows * 3 * w.d);
    y = grow(y, rows * w.d);
    f = grow(f, rows * w.inner);
    scores = grow(scores, capPad);
    q = grow(q, w.headDim);
    if (pos.length < rows) {
      pos = new int[rows];
    }
  }

  /** @return the logits buffer, at least {@code n} floats */
  float[] logits(int n) {
    logits = grow(logits, n);
    return logits;
  }

  private static float[] grow(float[] a, int n) {
    return a.length >= n ? a : new float[n];
  }
}
