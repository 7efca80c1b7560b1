package dev.stepwise.model;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;

/**
 * GPT-2 key/value cache, held as TorchScript values so that a decode step passes it to {@link
 * Gpt2Script} without any per-step conversion.
 *
 * <p>Contents: per layer a key and a value tensor (B, H, capacity, d_head) float32; {@code
 * padBias} (B, capacity) float32, 0 for real and −1e9 for padded positions; {@code count} (B, 1)
 * int64, each row's number of real tokens (its next position id). {@code hasPadding} records
 * whether any padded position was written, so steps without padding skip the bias add.
 *
 * <p>Closing the cache, or the manager it was created with, frees its tensors.
 */
final class Gpt2KvCache implements KvCache {
  private final Gpt2Model model;
  final int capacity;
  int batch;
  int length;
  boolean hasPadding;
  IValue keys;
  IValue values;
  IValue padBias;
  IValue count;
  private boolean closed;

  Gpt2KvCache(Gpt2Model model, NDManager manager, int batch, int capacity) {
    if (batch < 1 || capacity < 1) {
      throw new IllegalArgumentException(
          "cache needs batch >= 1 and capacity >= 1, got " + batch + ", " + capacity);
    }
    this.model = model;
    this.batch = batch;
    this.capacity = capacity;
    IValue[] args = {
      IValue.from((long) batch), IValue.from((long) model.nLayer), IValue.from((long) model.nHead),
      IValue.from((long) capacity), IValue.from((long) model.headDim)
    };
    try (IValue out = model.script().run("new_cache", args)) {
      assign(out);
    } finally {
      closeAll(args);
    }
    manager.attachInternal("kvcache-" + System.identityHashCode(this) + "-" + System.nanoTime(), this);
  }

  /** Takes the (keys, values, padBias, count) tuple returned by the script. */
  private void assign(IValue tuple) {
    IValue[] parts = tuple.toIValueTuple();
    keys = parts[0];
    values = parts[1];
    padBias = parts[2];
    count = parts[3];
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
    if (rows.length == 0) {
      throw new IllegalArgumentException("selectRows needs at least one row");
    }
    long[] idx = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0 || rows[i] >= batch) {
        throw new IllegalArgumentException("row " + rows[i] + " out of range [0, " + batch + ")");
      }
      idx[i] = rows[i];
    }
    try (NDManager tmp = NDManager.newBaseManager();
        IValue index = IValue.from((PtNDArray) tmp.create(idx));
        IValue out = model.script().run("reindex", keys, values, padBias, count, index)) {
      closeAll(keys, values, padBias, count);
      assign(out);
    }
    batch = rows.length;
  }

  /** Throws when the cache was closed. */
  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("KV cache is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeAll(keys, values, padBias, count);
    }
  }

  static void closeAll(IValue... values) {
    for (IValue v : values) {
      if (v != null) {
        v.close();
      }
    }
  }
}
