package dev.stepwise.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise pieces of a Llama-family layer on the Vector API: RMSNorm, the SwiGLU gate
 * and rotary embeddings (Hugging Face's rotate-half layout). Float32, with sums accumulated in
 * float32 vectors.
 */
final class LlamaMath {
  private LlamaMath() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /**
   * RMSNorm of {@code m} vectors of length {@code d}, the i-th at {@code x[off + i·d]}: {@code
   * out = x / √(mean(x²) + eps) · g} (Zhang &amp; Sennrich 2019).
   *
   * @param out output (may be {@code x}, same offsets)
   */
  static void rmsNorm(float[] x, int off, int m, int d, float[] g, float eps, float[] out) {
    for (int i = 0; i < m; i++) {
      int o = off + i * d;
      int j = 0;
      FloatVector acc = FloatVector.zero(S);
      for (; j + L <= d; j += L) {
        FloatVector v = FloatVector.fromArray(S, x, o + j);
        acc = v.fma(v, acc);
      }
      float sq = acc.reduceLanes(VectorOperators.ADD);
      for (; j < d; j++) {
        sq += x[o + j] * x[o + j];
      }
      float r = (float) (1.0 / Math.sqrt(sq / d + eps));
      FloatVector rv = FloatVector.broadcast(S, r);
      j = 0;
      for (; j + L <= d; j += L) {
        FloatVector.fromArray(S, x, o + j).mul(rv).mul(FloatVector.fromArray(S, g, j)).intoArray(out, o + j);
      }
      for (; j < d; j++) {
        out[o + j] = x[o + j] * r * g[j];
      }
    }
  }

  /**
   * SwiGLU in place: row i of {@code f} holds {@code [gate (n) | up (n)]} at {@code i·2n};
   * afterwards the rows are compacted to width n: {@code f[i·n + j] = silu(gate_j) · up_j} with
   * {@code silu(z) = z / (1 + e^−z)}. Rows are processed in order, so no value is overwritten before it is read.
   */
  static void swiglu(float[] f, int rows, int n) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int i = 0; i < rows; i++) {
      int g = i * 2 * n;
      int u = g + n;
      int o = i * n;
      int j = 0;
      for (; j + L <= n; j += L) {
        FloatVector z = FloatVector.fromArray(S, f, g + j);
        FloatVector s = z.div(one.add(z.neg().lanewise(VectorOperators.EXP)));
        s.mul(FloatVector.fromArray(S, f, u + j)).intoArray(f, o + j);
      }
      for (; j < n; j++) {
        float z = f[g + j];
        f[o + j] = (float) (z / (1.0 + Math.exp(-z))) * f[u + j];
      }
    }
  }

  /**
   * Rotates {@code heads} vectors of length {@code hd} starting at {@code x[off]} (consecutive)
   * by one position's angles: for i &lt; hd/2, {@code (x_i, x_{i+hd/2}) ← (x_i·c − x_{i+hd/2}·s,
   * x_{i+hd/2}·c + x_i·s)}, i.e. {@code x·cos + rotate_half(x)·sin}.
   *
   * @param cos cosines of the position's hd/2 angles at {@code cs}
   * @param sin sines, same layout
   */
  static void rope(float[] x, int off, int heads, int hd, float[] cos, float[] sin, int cs) {
    int half = hd / 2;
    for (int h = 0; h < heads; h++) {
      int o = off + h * hd;
      int i = 0;
      for (; i + L <= half; i += L) {
        FloatVector a = FloatVector.fromArray(S, x, o + i);
        FloatVector b = FloatVector.fromArray(S, x, o + half + i);
        FloatVector c = FloatVector.fromArray(S, cos, cs + i);
        FloatVector s = FloatVector.fromArray(S, sin, cs + i);
        a.mul(c).sub(b.mul(s)).intoArray(x, o + i);
        b.mul(c).add(a.mul(s)).intoArray(x, o + half + i);
      }
      for (; i < half; i++) {
        float a = x[o + i];
        float b = x[o + half + i];
        x[o + i] = a * cos[cs + i] - b * sin[cs + i];
        x[o + half + i] = b * cos[cs + i] + a * sin[cs + i];
      }
    }
  }
}
