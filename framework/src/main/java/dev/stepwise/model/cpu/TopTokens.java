package dev.stepwise.model.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The index orders {@link TokenChooser} needs, like {@code torch.topk(z, k)}'s indices: the k
 * largest of a float32 row of length V, sorted by value descending (ties: lower index first),
 * left in {@link #order}{@code [0, k)}. A bounded heap for small k, a stable LSD radix sort on
 * packed keys otherwise, and for top-p alone only the head of the order that holds the kept
 * mass. Scratch (about 16·V bytes) is allocated once; nothing is allocated per call. Not
 * thread-safe.
 */
final class TopTokens {
  /** Largest k handled by the bounded heap; larger k sorts the whole row. */
  static final int HEAP_MAX = 256;

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int RADIX_BITS = 11;

  /** The result: token indices, most likely first. */
  final int[] order;

  private final int vocab;
  private final int[] keyA;
  private final int[] keyB;
  private final int[] idxB;
  private final int[] counts = new int[1 << RADIX_BITS];
  private final long[] heap = new long[HEAP_MAX];
  private final double[] exponentMass = new double[256];

  /** Scratch for rows of {@code vocab} &ge; 1 values. */
  TopTokens(int vocab) {
    this.vocab = vocab;
    order = new int[vocab];
    keyA = new int[vocab];
    keyB = new int[vocab];
    idxB = new int[vocab];
  }

  /** Sorts all V indices of {@code a[off, off + V)} by value descending into {@link #order}. */
  void sortAll(float[] a, int off) {
    for (int i = 0; i < vocab; i++) {
      keyA[i] = descendingKey(a[off + i]);
      order[i] = i;
    }
    radixSort(vocab);
  }

  /**
   * An int whose signed order is the float order of f (−0 and +0 equal; NaN above +∞ when its
   * sign bit is clear).
   */
  private static int sortable(float f) {
    int b = Float.floatToRawIntBits(f + 0.0f);
    return b ^ ((b >> 31) & 0x7fffffff);
  }

  /** Ascending order of this key = descending value, then ascending index. */
  private static long packDescending(float f, int index) {
    return ((long) ~sortable(f) << 32) | index;
  }

  /**
   * Puts the indices of the k largest of {@code a[off, off + V)} into {@code order[0, k)}, largest
   * first (ties: lower index first), with a bounded max-heap of packed keys whose root is the
   * worst candidate kept so far, then an in-place heapsort.
   */
  void heapTopK(float[] a, int off, int k) {
    long[] h = heap;
    for (int i = 0; i < k; i++) {
      long key = packDescending(a[off + i], i);
      int c = i;
      while (c > 0) {
        int parent = (c - 1) >>> 1;
        if (h[parent] >= key) {
          break;
        }
        h[c] = h[parent];
        c = parent;
      }
      h[c] = key;
    }
    float worst = valueOf(h[0]);
    int i = k;
    int lanes = S.length();
    int ub = k + S.loopBound(vocab - k);
    for (; i < ub; i += lanes) {
      // most chunks hold nothing as large as the worst kept value: skip them whole
      if (!FloatVector.fromArray(S, a, off + i).compare(VectorOperators.GE, worst).anyTrue()) {
        continue;
      }
      for (int j = i; j < i + lanes; j++) {
        worst = offer(h, k, a[off + j], j, worst);
      }
    }
    for (; i < vocab; i++) {
      worst = offer(h, k, a[off + i], i, worst);
    }
    for (int end = k - 1; end > 0; end--) {
      long top = h[0];
      long last = h[end];
      h[end] = top;
      siftDown(h, last, end);
    }
    for (int j = 0; j < k; j++) {
      order[j] = (int) h[j];
    }
  }

  /** Offers (x, i) to the full heap {@code h[0, k)}; returns the (new) worst kept value. */
  private static float offer(long[] h, int k, float x, int i, float worst) {
    if (x >= worst) {
      long key = packDescending(x, i);
      if (key < h[0]) {
        siftDown(h, key, k);
        return valueOf(h[0]);
      }
    }
    return worst;
  }

  /** Places {@code key} at the root of the max-heap {@code h[0, size)} and sifts it down. */
  private static void siftDown(long[] h, long key, int size) {
    int c = 0;
    while (true) {
      int child = 2 * c + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && h[child + 1] > h[child]) {
        child++;
      }
      if (h[child] <= key) {
        break;
      }
      h[c] = h[child];
      c = child;
    }
    h[c] = key;
  }

  /** The float value packed into a {@link #packDescending} key. */
  private static float valueOf(long key) {
    int s = ~(int) (key >> 32);
    return Float.intBitsToFloat(s ^ ((s >> 31) & 0x7fffffff));
  }

  /**
   * For top-p alone: finds, from a histogram of the float exponents of {@code e[0, V)} (exp(z −
   * max) in vocabulary order, summing to {@code total}), the smallest set H of most likely
   * tokens, whole exponent buckets, whose mass is at least top_p·(1 + 1e-5) of the total, and
   * sorts H into {@code order[0, |H|)} by z descending (ties: lower index first). Every token outside H has more than top_p before it,
   * so the kernel zeroes it: the draw over H alone is the same. H is an upper set in z (e is
   * monotone in z), so it is the head of the full sorted order.
   *
   * @return |H|, or 0 when H would exceed a quarter of the vocabulary (then sort everything)
   */
  int sortTopMass(float[] z, int zo, float[] e, float total, double topP) {
    double[] mass = exponentMass;
    Arrays.fill(mass, 0);
    Arrays.fill(counts, 0, mass.length, 0);
    for (int i = 0; i < vocab; i++) {
      float x = e[i];
      int b = Float.floatToRawIntBits(x) >>> 23;
      mass[b] += x;
      counts[b]++;
    }
    double need = topP * (1 + 1e-5) * total;
    double acc = 0;
    int size = 0;
    int b = mass.length - 1;
    for (; b >= 0 && acc < need; b--) {
      acc += mass[b];
      size += counts[b];
    }
    if (acc < need || size > vocab / 4) {
      return 0;
    }
    float tau = Float.intBitsToFloat((b + 1) << 23);
    int n = 0;
    for (int i = 0; i < vocab; i++) {
      if (e[i] >= tau) {
        keyA[n] = descendingKey(z[zo + i]);
        order[n++] = i;
      }
    }
    radixSort(n);
    return n;
  }

  /** Unsigned order of this key = descending float order. */
  private static int descendingKey(float f) {
    return ~sortable(f) ^ 0x80000000;
  }

  /**
   * Sorts the n pairs ({@code keyA[i]}, {@code order[i]}) by key, unsigned ascending, stably (so
   * equal keys keep their order): LSD radix sort, 11 + 11 + 10 bits, skipping a pass whose digit
   * is the same for every key; the result is left in keyA/order.
   */
  private void radixSort(int n) {
    if (n < 2) {
      return;
    }
    int[] ks = keyA;
    int[] is = order;
    int[] kd = keyB;
    int[] id = idxB;
    int mask = (1 << RADIX_BITS) - 1;
    for (int shift = 0; shift < 32; shift += RADIX_BITS) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[(ks[i] >>> shift) & mask]++;
      }
      if (counts[(ks[0] >>> shift) & mask] == n) {
        continue;
      }
      int sum = 0;
      for (int b = 0; b <= mask; b++) {
        int c = counts[b];
        counts[b] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        int key = ks[i];
        int pos = counts[(key >>> shift) & mask]++;
        kd[pos] = key;
        id[pos] = is[i];
      }
      int[] t = ks;
      ks = kd;
      kd = t;
      t = is;
      is = id;
      id = t;
    }
    if (is != order) {
      System.arraycopy(is, 0, order, 0, n);
      System.arraycopy(ks, 0, keyA, 0, n);
    }
  }
}
