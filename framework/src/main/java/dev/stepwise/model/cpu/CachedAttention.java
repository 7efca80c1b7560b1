package dev.stepwise.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One query head attending over a row's cached keys and values:
 * {@code y = softmax(q·Kᵀ/√d_head + padBias)·V} over positions {@code [0, end)} (causality is the
 * bound {@code end}: a query at position p passes {@code end = p + 1}).
 *
 * <p>Keys are stored transposed, (d_head, capPad), so the scores of 4 vectors of positions are
 * accumulated in registers over d_head with no horizontal reductions; values are (capacity,
 * d_head), so the weighted sum runs along d_head. Padded positions carry −1e9 in {@code padBias}
 * and get probability 0, as in {@code Gpt2Script}'s decode step.
 */
final class CachedAttention {
  private CachedAttention() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /**
   * @param q the head's query, already multiplied by 1/√d_head (d_head)
   * @param kt keys (d_head, capPad) starting at {@code kOff}
   * @param capPad row stride of {@code kt}, a multiple of the vector length
   * @param v values (capacity, d_head) starting at {@code vOff}
   * @param hd d_head
   * @param end positions to attend to, 1 ≤ end ≤ capacity
   * @param pad (capPad) additive bias per position, or null when no position is padded
   * @param sc scratch of at least capPad floats
   * @param y output (d_head) written at {@code yOff}
   */
  static void attend(
      float[] q, float[] kt, int kOff, int capPad, float[] v, int vOff, int hd, int end, float[] pad, float[] sc,
      float[] y, int yOff) {
    int endPad = (end + L - 1) / L * L;
    int s = 0;
    for (; s + 4 * L <= endPad; s += 4 * L) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int dd = 0, o = kOff + s; dd < hd; dd++, o += capPad) {
        FloatVector x = FloatVector.broadcast(S, q[dd]);
        a0 = x.fma(FloatVector.fromArray(S, kt, o), a0);
        a1 = x.fma(FloatVector.fromArray(S, kt, o + L), a1);
        a2 = x.fma(FloatVector.fromArray(S, kt, o + 2 * L), a2);
        a3 = x.fma(FloatVector.fromArray(S, kt, o + 3 * L), a3);
      }
      if (pad != null) {
        a0 = a0.add(FloatVector.fromArray(S, pad, s));
        a1 = a1.add(FloatVector.fromArray(S, pad, s + L));
        a2 = a2.add(FloatVector.fromArray(S, pad, s + 2 * L));
        a3 = a3.add(FloatVector.fromArray(S, pad, s + 3 * L));
      }
      a0.intoArray(sc, s);
      a1.intoArray(sc, s + L);
      a2.intoArray(sc, s + 2 * L);
      a3.intoArray(sc, s + 3 * L);
    }
    for (; s < endPad; s += L) {
      FloatVector a0 = FloatVector.zero(S);
      for (int dd = 0, o = kOff + s; dd < hd; dd++, o += capPad) {
        a0 = FloatVector.broadcast(S, q[dd]).fma(FloatVector.fromArray(S, kt, o), a0);
      }
      if (pad != null) {
        a0 = a0.add(FloatVector.fromArray(S, pad, s));
      }
      a0.intoArray(sc, s);
    }
    float max = VectorMath.max(sc, 0, end);
    float inv = 1f / VectorMath.expShiftSum(sc, 0, end, max);
    int dc = 0;
    for (; dc + L <= hd; dc += L) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      int p = 0;
      for (int o = vOff + dc; p + 1 < end; p += 2, o += 2 * hd) {
        a0 = FloatVector.broadcast(S, sc[p]).fma(FloatVector.fromArray(S, v, o), a0);
        a1 = FloatVector.broadcast(S, sc[p + 1]).fma(FloatVector.fromArray(S, v, o + hd), a1);
      }
      if (p < end) {
        a0 = FloatVector.broadcast(S, sc[p]).fma(FloatVector.fromArray(S, v, vOff + p * hd + dc), a0);
      }
      a0.add(a1).mul(inv).intoArray(y, yOff + dc);
    }
    for (; dc < hd; dc++) {
      float acc = 0f;
      for (int p = 0, o = vOff + dc; p < end; p++, o += hd) {
        acc += sc[p] * v[o];
      }
      y[yOff + dc] = acc * inv;
    }
  }
}
