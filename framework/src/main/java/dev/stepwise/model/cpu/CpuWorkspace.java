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
  /** Fused QKV projection (rows, qkvWidth). */
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
  /** Rotary cosines and sines of each input row's position (rows, d_head / 2); Llama family only. */
  float[] cos = new float[0];
  float[] sin = new float[0];
  /** Position id of each input row (rows). */
  int[] pos = new int[0];

  /**
   * Makes every buffer large enough for {@code rows} rows and cache width {@code capPad}, with
   * per-row widths: {@code d} (residual and norm output), {@code qkvWidth} (fused projection),
   * {@code yWidth} (attention output), {@code fWidth} (MLP hidden) and {@code headDim}.
   */
  void ensure(int rows, int d, int qkvWidth, int yWidth, int fWidth, int headDim, int capPad) {
    x = grow(x, rows * d);
    h = grow(h, rows * d);
    qkv = grow(qkv, rows * qkvWidth);
    y = grow(y, rows * yWidth);
    f = grow(f, rows * fWidth);
    scores = grow(scores, capPad);
    q = grow(q, headDim);
    if (pos.length < rows) {
      pos = new int[rows];
    }
  }

  /** Grows the rotary buffers to {@code n} floats each. */
  void ensureRope(int n) {
    cos = grow(cos, n);
    sin = grow(sin, n);
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
