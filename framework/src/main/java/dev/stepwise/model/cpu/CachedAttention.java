package dev.stepwise.model.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One query head attending over a row's cached keys and values:
 * {@code y = softmax(q·Kᵀ/√d_head + padBias)·V} over positions {@code [0, end)} (causality is the
 * bound {@code end}: a query at position p passes {@code end = p + 1}).
 *
 * <p>Keys are stored transposed and tiled, (capPad / lanes, d_head, lanes) (see {@link
 * #keyIndex}): the scores of a vector of positions accumulate in a register over d_head with no
 * horizontal reduction, reading one contiguous block of d_head vectors (one memory stream per
 * block rather than one per dimension). Values are (capacity, d_head), so the weighted sum runs
 * along d_head. Padded positions carry −1e9 in {@code padBias} and get probability 0, as in
 * {@code Gpt2Script}'s decode step.
 */
final class CachedAttention {
  private CachedAttention() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Vector length in floats: the key tile width. */
  static final int LANES = S.length();
  private static final int L = LANES;

  /**
   * @return the offset of the key of position {@code s}, dimension {@code dd} within one (layer,
   *     head) block of a row's transposed keys
   */
  static int keyIndex(int s, int dd, int hd) {
    return ((s / L) * hd + dd) * L + s % L;
  }

  /**
   * @param q the head's query, already multiplied by 1/√d_head (d_head)
   * @param kt tiled transposed keys of the (layer, head) starting at {@code kOff}
   * @param v values (capacity, d_head) starting at {@code vOff}
   * @param hd d_head
   * @param end positions to attend to, 1 ≤ end ≤ capacity
   * @param pad (capPad) additive bias per position, or null when no position is padded
   * @param sc scratch of at least capPad floats
   * @param y output (d_head) written at {@code yOff}
   */
  static void attend(
      float[] q, float[] kt, int kOff, float[] v, int vOff, int hd, int end, float[] pad, float[] sc, float[] y,
      int yOff) {
    scores(q, kt, kOff, hd, end, pad, sc);
    float max = VectorMath.max(sc, 0, end);
    float inv = 1f / VectorMath.expShiftSum(sc, 0, end, max);
    if (hd == 2 * L) {
      weightedSum2(sc, v, vOff, end, inv, y, yOff);
    } else {
      weightedSum(sc, v, vOff, hd, end, inv, y, yOff);
    }
  }

  /** {@code sc[s] = q·k_s (+ pad[s])} for whole vectors of positions covering {@code [0, end)}. */
  private static void scores(float[] q, float[] kt, int kOff, int hd, int end, float[] pad, float[] sc) {
    int endPad = (end + L - 1) / L * L;
    int block = L * hd; // one tile: L positions × d_head
    int s = 0;
    for (; s + 4 * L <= endPad; s += 4 * L) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int dd = 0, o = kOff + s * hd; dd < hd; dd++, o += L) {
        FloatVector x = FloatVector.broadcast(S, q[dd]);
        a0 = x.fma(FloatVector.fromArray(S, kt, o), a0);
        a1 = x.fma(FloatVector.fromArray(S, kt, o + block), a1);
        a2 = x.fma(FloatVector.fromArray(S, kt, o + 2 * block), a2);
        a3 = x.fma(FloatVector.fromArray(S, kt, o + 3 * block), a3);
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
      FloatVector a1 = a0;
      int dd = 0;
      int o = kOff + s * hd;
      for (; dd + 1 < hd; dd += 2, o += 2 * L) {
        a0 = FloatVector.broadcast(S, q[dd]).fma(FloatVector.fromArray(S, kt, o), a0);
        a1 = FloatVector.broadcast(S, q[dd + 1]).fma(FloatVector.fromArray(S, kt, o + L), a1);
      }
      if (dd < hd) {
        a0 = FloatVector.broadcast(S, q[dd]).fma(FloatVector.fromArray(S, kt, o), a0);
      }
      a0 = a0.add(a1);
      if (pad != null) {
        a0 = a0.add(FloatVector.fromArray(S, pad, s));
      }
      a0.intoArray(sc, s);
    }
  }

  /** {@code y = inv · Σ_s p[s]·v_s} for d_head = 2 vectors: one pass over the values. */
  private static void weightedSum2(float[] p, float[] v, int vOff, int end, float inv, float[] y, int yOff) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector b0 = a0;
    FloatVector b1 = a0;
    int s = 0;
    for (int o = vOff; s + 1 < end; s += 2, o += 4 * L) {
      FloatVector w = FloatVector.broadcast(S, p[s]);
      a0 = w.fma(FloatVector.fromArray(S, v, o), a0);
      a1 = w.fma(FloatVector.fromArray(S, v, o + L), a1);
      w = FloatVector.broadcast(S, p[s + 1]);
      b0 = w.fma(FloatVector.fromArray(S, v, o + 2 * L), b0);
      b1 = w.fma(FloatVector.fromArray(S, v, o + 3 * L), b1);
    }
    if (s < end) {
      FloatVector w = FloatVector.broadcast(S, p[s]);
      int o = vOff + s * 2 * L;
      a0 = w.fma(FloatVector.fromArray(S, v, o), a0);
      a1 = w.fma(FloatVector.fromArray(S, v, o + L), a1);
    }
    a0.add(b0).mul(inv).intoArray(y, yOff);
    a1.add(b1).mul(inv).intoArray(y, yOff + L);
  }

  /** {@code y = inv · Σ_s p[s]·v_s} for any d_head: whole vectors of dimensions, then scalars. */
  private static void weightedSum(float[] p, float[] v, int vOff, int hd, int end, float inv, float[] y, int yOff) {
    int dc = 0;
    for (; dc + L <= hd; dc += L) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      int s = 0;
      for (int o = vOff + dc; s + 1 < end; s += 2, o += 2 * hd) {
        a0 = FloatVector.broadcast(S, p[s]).fma(FloatVector.fromArray(S, v, o), a0);
        a1 = FloatVector.broadcast(S, p[s + 1]).fma(FloatVector.fromArray(S, v, o + hd), a1);
      }
      if (s < end) {
        a0 = FloatVector.broadcast(S, p[s]).fma(FloatVector.fromArray(S, v, vOff + s * hd + dc), a0);
      }
      a0.add(a1).mul(inv).intoArray(y, yOff + dc);
    }
    for (; dc < hd; dc++) {
      float acc = 0f;
      for (int s = 0, o = vOff + dc; s < end; s++, o += hd) {
        acc += p[s] * v[o];
      }
      y[yOff + dc] = acc * inv;
    }
  }
}
