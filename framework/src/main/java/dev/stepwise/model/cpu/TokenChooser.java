package dev.stepwise.model.cpu;

import dev.stepwise.model.SamplingKernel;
import dev.stepwise.model.TokenChoice;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java twin of the TorchScript token-choice kernel {@link SamplingKernel} (its {@code choose}
 * method): picks the next token from one row of logits on the CPU, for the pure-Java decoder.
 *
 * <p>Rule (vLLM's order: temperature, then top-k, then top-p; SamplingKernel's inverse-CDF
 * draw). Greedy: the argmax of the logits (the first index of the maximum, as {@code
 * torch.argmax} on the CPU; a NaN counts as the maximum). Otherwise z = logits·(float) inv_temp
 * with inv_temp = 1 / temperature (the multiply is skipped when inv_temp is exactly 1.0, as the
 * kernel does); k = top_k if 0 &lt; top_k &lt; V, else V. With a cut-off (k &lt; V or top_p &lt;
 * 1): the k largest z sorted descending (ties: lower index first), p = softmax of those, and
 * with top_p &lt; 1 each p_i is kept where cumsum_i − p_i &lt; (float) top_p, else zeroed. Without
 * a cut-off: p = softmax(z) in vocabulary order. Then c = cumsum(p) and the chosen position is
 * the number of entries with c &lt; u·c_last, clamped to the last position.
 *
 * <p>Shapes and ranges: a row is V float32 logits inside a larger array (e.g. one row of a (B, V)
 * batch at offset b·V); u is one uniform in [0, 1) per call; the result is a token id in [0, V)
 * and {@link #lastLogprob()} its log-probability (float32, &le; 0) under log-softmax of the
 * unmodified logits, as the kernel returns.
 *
 * <p>Arithmetic follows libtorch's CPU kernels: float32 values; softmax as exp(x − max)·(1/sum)
 * and log-softmax as (x − max) − log(sum), with the sum added in the order of libtorch's {@code
 * vec::reduce_all} (one accumulator of {@code FloatVector.SPECIES_PREFERRED}'s lanes, then a
 * halving tree; the same width as libtorch's AVX2/AVX-512 kernels on those CPUs); cumulative sums
 * accumulated in float64 and stored as float32 (as {@code torch.cumsum} does); u·c_last and the
 * top-p comparison in float32. Only the exponentials differ (SVML here, SLEEF there, both within
 * an ulp), so the chosen id differs from the kernel's only when u·c_last or a top-p sum lies
 * within a few float32 ulps of a boundary (TokenChooserTest measures this against the real
 * kernel: no differing id in 9,080 rows, log-probabilities within 1e-6).
 *
 * <p>Cost per call, V = vocabulary size: O(V) without a cut-off; top-k with k &le; {@value
 * TopTokens#HEAP_MAX} keeps a bounded heap (vector chunks below its worst value are skipped),
 * O(V + k log k); top-p alone sorts only the most likely tokens that hold the kept mass (found
 * from a histogram of exponents); other cut-offs sort the whole row with a three-pass LSD radix
 * sort on packed keys, O(V). Two vectorised passes over the logits give the log-probability.
 * All scratch is allocated by the constructor (about 28·V bytes); {@link #choose} allocates
 * nothing. Not thread-safe: one instance per decoding thread.
 */
public final class TokenChooser {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private final int vocab;
  private final float[] z;
  private final float[] e;
  private final float[] cdf;
  private final TopTokens top;
  private final float[] laneScratch = new float[S.length()];
  private float lastLogprob = Float.NaN;

  /**
   * Scratch for rows of {@code vocab} logits.
   *
   * @param vocab vocabulary size V &ge; 1 (e.g. 50,257 for GPT-2, 151,936 for Qwen3)
   * @throws IllegalArgumentException when vocab &lt; 1
   */
  public TokenChooser(int vocab) {
    if (vocab < 1) {
      throw new IllegalArgumentException("vocabulary size must be >= 1, got " + vocab);
    }
    this.vocab = vocab;
    z = new float[vocab];
    e = new float[vocab];
    cdf = new float[vocab];
    top = new TopTokens(vocab);
  }

  /** The vocabulary size V this chooser was built for. */
  public int vocab() {
    return vocab;
  }

  /**
   * Chooses one token, exactly as {@code SamplingKernel.choose} does for one row.
   *
   * @param logits float32 logits; the row is {@code logits[offset, offset + V)}; finite values
   *     (−∞ allowed while one value is finite)
   * @param offset start of the row in {@code logits}
   * @param choice greedy, or temperature, top-k and top-p (see {@link TokenChoice})
   * @param u a uniform draw in [0, 1) (ignored when greedy)
   * @return the token id in [0, V)
   * @throws IndexOutOfBoundsException when the row does not fit in {@code logits}
   * @throws IllegalArgumentException when u is outside [0, 1)
   */
  public int choose(float[] logits, int offset, TokenChoice choice, float u) {
    Objects.checkFromIndexSize(offset, vocab, logits.length);
    if (!(u >= 0f && u < 1f)) {
      throw new IllegalArgumentException("u must be in [0, 1), got " + u);
    }
    int v = vocab;
    float maxL = max(logits, offset, v);
    float sumL = -1f; // sum of exp(logits - maxL), once known
    int idx;
    if (choice.greedy()) {
      idx = argmax(logits, offset, v, maxL);
    } else {
      double invTemp = 1.0 / choice.temperature();
      float[] zs = logits;
      int zo = offset;
      float maxZ = maxL;
      if (invTemp != 1.0) {
        scale(logits, offset, v, (float) invTemp, z);
        zs = z;
        zo = 0;
        maxZ = max(z, 0, v);
      }
      int topK = choice.topK();
      int k = topK > 0 && topK < v ? topK : v;
      if (k < v || choice.topP() < 1.0) {
        if (k <= TopTokens.HEAP_MAX) {
          top.heapTopK(zs, zo, k);
          for (int i = 0; i < k; i++) {
            cdf[i] = (float) Math.exp(zs[zo + top.order[i]] - maxZ);
          }
          idx = top.order[sortedDraw(laneSum(cdf, k), k, choice.topP(), u)];
        } else {
          float all = expSub(zs, zo, v, maxZ, e);
          if (zs == logits) {
            sumL = all;
          }
          // top-p alone: sort only the most likely tokens that certainly hold the kept mass
          int h = k == v ? top.sortTopMass(zs, zo, e, all, choice.topP()) : 0;
          if (h > 0) {
            for (int i = 0; i < h; i++) {
              cdf[i] = e[top.order[i]];
            }
            idx = top.order[sortedDraw(all, h, choice.topP(), u)];
          } else {
            top.sortAll(zs, zo);
            for (int i = 0; i < k; i++) {
              cdf[i] = e[top.order[i]];
            }
            idx = top.order[sortedDraw(laneSum(cdf, k), k, choice.topP(), u)];
          }
        }
      } else {
        float s = expSub(zs, zo, v, maxZ, e);
        if (zs == logits) {
          sumL = s;
        }
        float inv = 1f / s;
        double c = 0;
        for (int i = 0; i < v; i++) {
          c += e[i] * inv;
          cdf[i] = (float) c;
        }
        idx = Math.min(countBelow(cdf, v, u * cdf[v - 1]), v - 1);
      }
    }
    if (sumL < 0) {
      sumL = expSub(logits, offset, v, maxL, null);
    }
    float logSum = (float) Math.log(sumL);
    lastLogprob = (logits[offset + idx] - maxL) - logSum;
    return idx;
  }

  /**
   * The log-probability of the token chosen by the last {@link #choose} call under log-softmax
   * of the unmodified logits (no temperature, no cut-off), float32, &le; 0; NaN before the first
   * call.
   */
  public float lastLogprob() {
    return lastLogprob;
  }

  /**
   * The draw over the k sorted candidates whose exp(z − max) are in {@code cdf[0, k)} and sum to
   * {@code s} (float32): normalise, apply top-p, cumulate (overwriting {@code cdf}) and count.
   *
   * @return the chosen position in the sorted order, in [0, k)
   */
  private int sortedDraw(float s, int k, double topP, float u) {
    float inv = 1f / s;
    boolean cut = topP < 1.0;
    float p32 = (float) topP;
    double before = 0; // cumsum of the unmodified p (the top-p test)
    double kept = 0; // cumsum of the kept p (the cdf)
    for (int i = 0; i < k; i++) {
      float p = cdf[i] * inv;
      if (cut) {
        before += p;
        if (!(((float) before) - p < p32)) {
          p = 0f;
        }
      }
      kept += p;
      cdf[i] = (float) kept;
    }
    return Math.min(countBelow(cdf, k, u * cdf[k - 1]), k - 1);
  }

  /**
   * The number of entries of the non-decreasing {@code c[0, n)} that are &lt; t (binary search;
   * NaN t gives 0, as an element-wise count would).
   */
  private static int countBelow(float[] c, int n, float t) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (c[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** First index of the maximum {@code m} of the row; the first NaN when m is NaN. */
  private static int argmax(float[] a, int off, int n, float m) {
    if (Float.isNaN(m)) {
      for (int i = 0; i < n; i++) {
        if (Float.isNaN(a[off + i])) {
          return i;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (a[off + i] == m) {
        return i;
      }
    }
    return 0;
  }

  /** Maximum of {@code a[off, off + n)} (NaN when one is NaN). */
  private static float max(float[] a, int off, int n) {
    int i = 0;
    float m = Float.NEGATIVE_INFINITY;
    int ub = S.loopBound(n);
    if (ub > 0) {
      FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (; i < ub; i += S.length()) {
        mv = mv.max(FloatVector.fromArray(S, a, off + i));
      }
      m = mv.reduceLanes(VectorOperators.MAX);
    }
    for (; i < n; i++) {
      m = Math.max(m, a[off + i]);
    }
    return m;
  }

  /** {@code dst[i] = a[off + i] * f} in float32, i &lt; n. */
  private static void scale(float[] a, int off, int n, float f, float[] dst) {
    int i = 0;
    int ub = S.loopBound(n);
    for (; i < ub; i += S.length()) {
      FloatVector.fromArray(S, a, off + i).mul(f).intoArray(dst, i);
    }
    for (; i < n; i++) {
      dst[i] = a[off + i] * f;
    }
  }

  /**
   * {@code dst[i] = exp(a[off + i] − m)} in float32 for i &lt; n (skipped when dst is null);
   * returns their float32 sum, added in libtorch's order (see {@link #laneSum}).
   */
  private float expSub(float[] a, int off, int n, float m, float[] dst) {
    int lanes = S.length();
    if (n < lanes) {
      float s = 0f;
      for (int i = 0; i < n; i++) {
        float ev = (float) Math.exp(a[off + i] - m);
        if (dst != null) {
          dst[i] = ev;
        }
        s += ev;
      }
      return s;
    }
    FloatVector mv = FloatVector.broadcast(S, m);
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    int ub = S.loopBound(n);
    for (; i < ub; i += lanes) {
      FloatVector ev = FloatVector.fromArray(S, a, off + i).sub(mv).lanewise(VectorOperators.EXP);
      if (dst != null) {
        ev.intoArray(dst, i);
      }
      acc = acc.add(ev);
    }
    float[] l = laneScratch;
    acc.intoArray(l, 0);
    for (int j = 0; i < n; i++, j++) {
      float ev = (float) Math.exp(a[off + i] - m);
      if (dst != null) {
        dst[i] = ev;
      }
      l[j] += ev;
    }
    return treeSum(l);
  }

  /**
   * The float32 sum of {@code a[0, n)} in the order of libtorch's {@code vec::reduce_all} (the
   * softmax and log-softmax normalisers): one vector accumulator over the row, the tail added
   * into its first lanes, then a halving tree over the lanes; sequential when n is below the
   * lane count. Matching the order keeps the sums equal to libtorch's to a few ulps, where a
   * more accurate sum would differ by ~1e-6 relative over 150k terms.
   */
  private float laneSum(float[] a, int n) {
    int lanes = S.length();
    if (n < lanes) {
      float s = 0f;
      for (int i = 0; i < n; i++) {
        s += a[i];
      }
      return s;
    }
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    int ub = S.loopBound(n);
    for (; i < ub; i += lanes) {
      acc = acc.add(FloatVector.fromArray(S, a, i));
    }
    float[] l = laneScratch;
    acc.intoArray(l, 0);
    for (int j = 0; i < n; i++, j++) {
      l[j] += a[i];
    }
    return treeSum(l);
  }

  /**
   * Lane i plus lane i + h for h = lanes/2, lanes/4, ..., 1 (libtorch's vec_reduce_all); the
   * tail was added into the first lanes as libtorch's {@code Vec::set} does.
   */
  private static float treeSum(float[] l) {
    for (int h = l.length >>> 1; h >= 1; h >>>= 1) {
      for (int j = 0; j < h; j++) {
        l[j] += l[j + h];
      }
    }
    return l[0];
  }

}
