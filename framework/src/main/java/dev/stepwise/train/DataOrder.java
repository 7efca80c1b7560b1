package dev.stepwise.train;

import java.util.Arrays;
import java.util.Random;

/**
 * The order in which examples are visited: a stream of micro-batches over successive epochs.
 *
 * <p>Epoch {@code e} visits the examples in the permutation produced by a Fisher–Yates shuffle
 * driven by {@code new Random(seed * 1_000_003 + e)}, cut into {@code ceil(N / b)} micro-batches
 * of {@code b} examples (the last one shorter when {@code b} does not divide {@code N}). The
 * stream continues into the next epoch without a break, so every optimizer step consumes exactly
 * {@code gradient_accumulation_steps} micro-batches, even across an epoch boundary (Hugging Face
 * instead ends each epoch with a short accumulation). The position is (epoch, index of the next
 * micro-batch in the epoch), and the order depends on nothing else: a resumed run that restores
 * the position sees exactly the micro-batches an uninterrupted run would.
 *
 * <p>With example lengths ({@code group_by_length}, Hugging Face's {@code LengthGroupedSampler}
 * behaviour): the epoch's permutation is cut into mega-batches of {@code m·b} examples, {@code m =
 * min(N / (4b), 50)} (at least 1), each mega-batch is sorted by length, longest first (stable), and
 * the longest example of the epoch is swapped to the front so that an out-of-memory error shows
 * at the first step. Micro-batches then hold examples of similar length (less padding), the order
 * is still random across mega-batches, and every example is visited once per epoch.
 */
public final class DataOrder {
  private final int size;
  private final int batch;
  private final long seed;
  private int epoch;
  private int next;
  private int[] perm;
  private final int[] lengths;

  /**
   * @param size number of examples, &ge; 1
   * @param microBatch examples per micro-batch, &ge; 1
   * @param seed run seed
   */
  public DataOrder(int size, int microBatch, long seed) {
    this(size, microBatch, seed, null);
  }

  /**
   * @param size number of examples, &ge; 1
   * @param microBatch examples per micro-batch, &ge; 1
   * @param seed run seed
   * @param lengths example lengths (tokens) to group by, {@code size} of them, or null for the
   *     plain shuffle
   */
  public DataOrder(int size, int microBatch, long seed, int[] lengths) {
    if (size < 1 || microBatch < 1) {
      throw new IllegalArgumentException("size " + size + ", micro-batch " + microBatch);
    }
    if (lengths != null && lengths.length != size) {
      throw new IllegalArgumentException(lengths.length + " lengths for " + size + " examples");
    }
    this.lengths = lengths == null ? null : lengths.clone();
    this.size = size;
    this.batch = microBatch;
    this.seed = seed;
    this.perm = permutation(0);
  }

  /** @return micro-batches per epoch, {@code ceil(size / microBatch)} */
  public int batchesPerEpoch() {
    return (size + batch - 1) / batch;
  }

  /** @return the example indices of the next micro-batch; advances the position */
  public int[] next() {
    int from = next * batch;
    int[] out = Arrays.copyOfRange(perm, from, Math.min(size, from + batch));
    next++;
    if (next == batchesPerEpoch()) {
      seek(epoch + 1, 0);
    }
    return out;
  }

  /** Moves to micro-batch {@code index} of {@code epoch} (both 0-based). */
  public void seek(int newEpoch, int index) {
    if (newEpoch < 0 || index < 0 || index >= batchesPerEpoch()) {
      throw new IllegalArgumentException("position " + newEpoch + "/" + index);
    }
    if (newEpoch != epoch || perm == null) {
      perm = permutation(newEpoch);
    }
    epoch = newEpoch;
    next = index;
  }

  /** @return the current epoch (0-based) */
  public int epoch() {
    return epoch;
  }

  /** @return index in the current epoch of the next micro-batch */
  public int position() {
    return next;
  }

  /** @return completed fraction of training in epochs, e.g. 1.25 = a quarter into epoch 2 */
  public double fractionalEpoch() {
    return epoch + (double) next / batchesPerEpoch();
  }

  /**
   * @return the permutation of {@code [0, size)} visited in epoch {@code e}
   */
  public int[] permutation(int e) {
    int[] p = new int[size];
    for (int i = 0; i < size; i++) {
      p[i] = i;
    }
    Random r = new Random(seed * 1_000_003L + e);
    for (int i = size - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return lengths == null ? p : groupByLength(p);
  }

  private int[] groupByLength(int[] p) {
    int mult = Math.max(1, Math.min(size / (4 * batch), 50));
    int mega = mult * batch;
    Integer[] boxed = new Integer[size];
    for (int i = 0; i < size; i++) {
      boxed[i] = p[i];
    }
    for (int from = 0; from < size; from += mega) {
      Arrays.sort(boxed, from, Math.min(size, from + mega), (a, b) -> Integer.compare(lengths[b], lengths[a]));
    }
    int longest = 0;
    for (int i = 1; i < size; i++) {
      if (lengths[boxed[i]] > lengths[boxed[longest]]) {
        longest = i;
      }
    }
    Integer t = boxed[0];
    boxed[0] = boxed[longest];
    boxed[longest] = t;
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = boxed[i];
    }
    return out;
  }
}
