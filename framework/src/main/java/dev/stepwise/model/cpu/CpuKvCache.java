package dev.stepwise.model.cpu;

import dev.stepwise.model.KvCache;

/**
 * The Java decoder's key/value cache: plain float arrays per row, so that re-indexing rows
 * ({@link #selectRows}, {@link #repeatRows}) moves references and copies only repeated rows.
 *
 * <p>Layouts per row r: {@code keys[r]} holds every layer's and head's keys transposed, (L, H,
 * capPad / lanes, d_head, lanes), H being the key/value heads ({@link CpuWeights#cacheHeads}) — position is the fastest index, so the scores of one query against all cached
 * positions are vector FMAs along positions; {@code values[r]} is (L, H, capacity, d_head), so
 * the weighted sum of values is vector FMAs along d_head. {@code padBias[r]} (capPad) is 0 for
 * real and −1e9 for padded positions; {@code count[r]} is the row's number of real tokens (its
 * next position id). capPad is the capacity rounded up to whole vectors (the tail is never read
 * as a key position). Within a (layer, head) the transposed keys are tiled by vector length: the
 * key of position s, dimension d sits at {@link CachedAttention#keyIndex}, so one vector of
 * positions × all of d_head is one contiguous block.
 *
 * <p>Not thread-safe: one decoding thread uses a cache at a time (the sampler gives each worker
 * its own). {@link #weights} is the model snapshot the cache was created with.
 */
public final class CpuKvCache implements KvCache {
  final CpuWeights weights;
  final int capacity;
  final int capPad;
  int batch;
  int length;
  boolean hasPadding;
  float[][] keys;
  float[][] values;
  float[][] padBias;
  int[] count;
  /** Scratch buffers of the decoder, grown on demand. */
  final CpuWorkspace work = new CpuWorkspace();
  private boolean closed;
  private TokenChooser chooser;

  CpuKvCache(CpuWeights weights, int batch, int capacity) {
    if (batch < 1 || capacity < 1) {
      throw new IllegalArgumentException(
          "cache needs batch >= 1 and capacity >= 1, got " + batch + ", " + capacity);
    }
    this.weights = weights;
    this.capacity = capacity;
    int lanes = VectorMath.S.length();
    this.capPad = (capacity + lanes - 1) / lanes * lanes;
    this.batch = batch;
    keys = new float[batch][];
    values = new float[batch][];
    padBias = new float[batch][];
    count = new int[batch];
    int perLayer = weights.cacheHeads * weights.headDim;
    for (int r = 0; r < batch; r++) {
      keys[r] = new float[weights.nLayer * perLayer * capPad];
      values[r] = new float[weights.nLayer * perLayer * capacity];
      padBias[r] = new float[capPad];
    }
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void selectRows(int[] rows) {
    checkOpen();
    if (rows.length == 0) {
      throw new IllegalArgumentException("selectRows needs at least one row");
    }
    boolean[] taken = new boolean[batch];
    float[][] k = new float[rows.length][];
    float[][] v = new float[rows.length][];
    float[][] p = new float[rows.length][];
    int[] c = new int[rows.length];
    for (int j = 0; j < rows.length; j++) {
      int r = rows[j];
      if (r < 0 || r >= batch) {
        throw new IllegalArgumentException("row " + r + " out of range [0, " + batch + ")");
      }
      boolean first = !taken[r];
      taken[r] = true;
      k[j] = first ? keys[r] : keys[r].clone();
      v[j] = first ? values[r] : values[r].clone();
      p[j] = first ? padBias[r] : padBias[r].clone();
      c[j] = count[r];
    }
    keys = k;
    values = v;
    padBias = p;
    count = c;
    batch = rows.length;
  }

  /** @return this cache's token chooser (created on first use, sized for the vocabulary) */
  TokenChooser chooser() {
    if (chooser == null) {
      chooser = new TokenChooser(weights.vocab);
    }
    return chooser;
  }

  /**
   * Checks a decode call's input before anything changes the cache.
   *
   * @throws IllegalArgumentException when the sizes do not match, the cache is full or an id is
   *     out of range
   * @throws IllegalStateException when the cache is closed
   */
  void checkInput(long[] ids, long[] mask, int t) {
    checkOpen();
    if (t < 1 || ids.length != (long) batch * t) {
      throw new IllegalArgumentException("input ids must be (" + batch + ", t >= 1), got " + ids.length + " ids for t = " + t);
    }
    if (mask != null && mask.length != ids.length) {
      throw new IllegalArgumentException("attention mask has " + mask.length + " entries, input ids " + ids.length);
    }
    if (length + t > capacity) {
      throw new IllegalArgumentException("cache full: " + length + " positions used + " + t + " new > capacity " + capacity);
    }
    for (long id : ids) {
      if (id < 0 || id >= weights.vocab) {
        throw new IllegalArgumentException("token id " + id + " out of range [0, " + weights.vocab + ")");
      }
    }
  }

  /**
   * Position ids of {@code t} new tokens per row (left padding: the mask's cumulative sum − 1
   * after the row's earlier real tokens), clamped to {@code maxPos}; updates the rows' counts
   * and padding bias (−1e9 at padded positions).
   *
   * @param pos output (B·t)
   */
  void positions(long[] mask, int t, int start, int[] pos, int maxPos) {
    for (int r = 0; r < batch; r++) {
      int base = count[r];
      if (mask == null) {
        for (int i = 0; i < t; i++) {
          pos[r * t + i] = Math.min(base + i, maxPos);
        }
        count[r] = base + t;
        continue;
      }
      int cum = 0;
      float[] pad = padBias[r];
      for (int i = 0; i < t; i++) {
        boolean real = mask[r * t + i] != 0;
        cum += real ? 1 : 0;
        pos[r * t + i] = Math.min(Math.max(cum - 1, 0) + base, maxPos);
        pad[start + i] = real ? 0f : NEG;
        hasPadding |= !real;
      }
      count[r] = base + cum;
    }
  }

  /** Additive bias of a padded position. */
  static final float NEG = -1e9f;

  /** Throws when the cache was closed. */
  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("KV cache is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    keys = values = padBias = null;
  }
}
