package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Incremental decoding with the cache must reproduce full recomputation. Runs with the decoder
 * the JVM picks by default (the Java CPU decoder when the Vector API module is present, as under
 * surefire); {@link KvCacheTorchTest} repeats every case with the TorchScript step.
 */
class KvCacheTest {
  static final int V = 41;
  static final ModelConfig CFG = new ModelConfig("gpt2", V, 32, 3, 4, 32, 0, 1e-5, 0.02);
  static NDManager base;
  static CausalLM model;

  @BeforeAll
  static void setUp() {
    base = NDManager.newBaseManager();
    model = new Gpt2Family().create(CFG, base, 11);
    Gpt2ModelTest.scaleAll(model, 8f);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    base.close();
  }

  /** Logits of the last position of {@code seq}, recomputed from scratch. */
  static float[] full(List<Long> seq) {
    try (NDManager m = base.newSubManager()) {
      long[] a = seq.stream().mapToLong(Long::longValue).toArray();
      NDArray logits = model.logits(model.hiddenStates(m.create(a, new Shape(1, a.length)), null));
      float[] all = logits.toFloatArray();
      float[] last = new float[V];
      System.arraycopy(all, (a.length - 1) * V, last, 0, V);
      return last;
    }
  }

  static int argmax(float[] v, int off) {
    int best = 0;
    for (int i = 1; i < V; i++) {
      if (v[off + i] > v[off + best]) {
        best = i;
      }
    }
    return best;
  }

  static void assertClose(float[] expected, float[] actual, int off, String what) {
    for (int i = 0; i < V; i++) {
      assertEquals(expected[i], actual[off + i], 1e-4, what + " vocab " + i);
    }
  }

  @Test
  void greedyDecodeMatchesRecomputationAtEveryStep() {
    List<Long> seq = new ArrayList<>(List.of(3L, 17L, 5L, 40L, 2L));
    try (NDManager m = base.newSubManager(); KvCache cache = model.newCache(m, 1, 20)) {
      NDArray prefill = model.decode(m.create(new long[] {3, 17, 5, 40, 2}, new Shape(1, 5)), null, cache);
      assertEquals(new Shape(1, 5, V), prefill.getShape());
      float[] all = prefill.toFloatArray();
      assertClose(full(seq), all, 4 * V, "prefill last");
      assertClose(full(seq.subList(0, 2)), all, V, "prefill position 1");
      int next = argmax(all, 4 * V);
      for (int step = 0; step < 12; step++) {
        seq.add((long) next);
        float[] logits;
        try (NDManager s = m.newSubManager()) {
          logits = model.decodeLast(s.create(new long[] {next}, new Shape(1, 1)), null, cache).toFloatArray();
        }
        float[] expected = full(seq);
        assertClose(expected, logits, 0, "step " + step);
        assertEquals(argmax(expected, 0), argmax(logits, 0), "greedy token at step " + step);
        next = argmax(logits, 0);
      }
      assertEquals(17, cache.length());
    }
  }

  @Test
  void leftPaddedPrefillThenRepeatAndSelectRows() {
    long pad = 0;
    List<Long> a = new ArrayList<>(List.of(4L, 8L, 15L, 16L, 23L));
    List<Long> b = new ArrayList<>(List.of(42L % V, 9L));
    try (NDManager m = base.newSubManager(); KvCache cache = model.newCache(m, 2, 16)) {
      NDArray ids = m.create(new long[] {4, 8, 15, 16, 23, pad, pad, pad, 42 % V, 9}, new Shape(2, 5));
      NDArray mask = m.create(new int[] {1, 1, 1, 1, 1, 0, 0, 0, 1, 1}, new Shape(2, 5));
      float[] last = model.decodeLast(ids, mask, cache).toFloatArray();
      assertEquals(2 * V, last.length);
      assertClose(full(a), last, 0, "row a prefill");
      assertClose(full(b), last, V, "row b prefill");
      // two continuations per prompt, fed different tokens
      cache.repeatRows(2);
      assertEquals(4, cache.batch());
      List<List<Long>> rows = List.of(new ArrayList<>(a), new ArrayList<>(a), new ArrayList<>(b), new ArrayList<>(b));
      long[] feed = {1, 2, 3, 4};
      for (int step = 0; step < 3; step++) {
        float[] out;
        try (NDManager s = m.newSubManager()) {
          out = model.decodeLast(s.create(feed, new Shape(feed.length, 1)), null, cache).toFloatArray();
        }
        for (int r = 0; r < rows.size(); r++) {
          rows.get(r).add(feed[r]);
          assertClose(full(rows.get(r)), out, r * V, "step " + step + " row " + r);
        }
        for (int r = 0; r < feed.length; r++) {
          feed[r] = (feed[r] * 7 + step + 5) % V;
        }
      }
      // drop rows 0 and 2 (as if finished), keep 3 then 1
      cache.selectRows(new int[] {3, 1});
      List<List<Long>> kept = List.of(rows.get(3), rows.get(1));
      long[] f2 = {feed[3], feed[1]};
      float[] out;
      try (NDManager s = m.newSubManager()) {
        out = model.decodeLast(s.create(f2, new Shape(2, 1)), null, cache).toFloatArray();
      }
      for (int r = 0; r < 2; r++) {
        kept.get(r).add(f2[r]);
        assertClose(full(kept.get(r)), out, r * V, "after select row " + r);
      }
      assertThrows(IllegalArgumentException.class, () -> cache.selectRows(new int[] {2}));
    }
  }

  /**
   * Nine left-padded rows x 4 heads = 36 (row, head) pairs: one-token steps take the batched
   * matmul attention path of the decode script (B·H >= 32), which must match recomputation too.
   */
  @Test
  void manyRowsWithPaddingMatchRecomputation() {
    int rowsN = 9;
    int width = 6;
    List<List<Long>> rows = new ArrayList<>();
    long[] ids = new long[rowsN * width];
    int[] mask = new int[rowsN * width];
    for (int r = 0; r < rowsN; r++) {
      int len = 1 + r % width;
      List<Long> seq = new ArrayList<>();
      for (int k = 0; k < len; k++) {
        long id = (r * 13L + k * 5L + 1) % V;
        seq.add(id);
        ids[r * width + width - len + k] = id;
        mask[r * width + width - len + k] = 1;
      }
      rows.add(seq);
    }
    try (NDManager m = base.newSubManager(); KvCache cache = model.newCache(m, rowsN, width + 5)) {
      float[] last = model.decodeLast(m.create(ids, new Shape(rowsN, width)), m.create(mask, new Shape(rowsN, width)), cache)
          .toFloatArray();
      long[] feed = new long[rowsN];
      for (int r = 0; r < rowsN; r++) {
        assertClose(full(rows.get(r)), last, r * V, "prefill row " + r);
        feed[r] = argmax(last, r * V);
      }
      for (int step = 0; step < 5; step++) {
        float[] out;
        try (NDManager s = m.newSubManager()) {
          out = model.decodeLast(s.create(feed, new Shape(rowsN, 1)), null, cache).toFloatArray();
        }
        for (int r = 0; r < rowsN; r++) {
          rows.get(r).add(feed[r]);
          float[] expected = full(rows.get(r));
          assertClose(expected, out, r * V, "step " + step + " row " + r);
          assertEquals(argmax(expected, 0), argmax(out, r * V), "greedy token at step " + step + " row " + r);
          feed[r] = argmax(out, r * V);
        }
      }
    }
  }

  /** @return whether this class's caches should belong to the Java CPU decoder */
  boolean expectJavaDecoder() {
    return dev.stepwise.model.cpu.CpuDecoding.vectorApiPresent();
  }

  @Test
  void decoderIsTheOneAskedFor() {
    try (NDManager m = base.newSubManager(); KvCache cache = model.newCache(m, 1, 3)) {
      assertEquals(expectJavaDecoder(), dev.stepwise.model.cpu.CpuDecoder.owns(cache), cache.getClass().getName());
    }
  }

  @Test
  void fullCacheIsRejected() {
    try (NDManager m = base.newSubManager(); KvCache cache = model.newCache(m, 1, 3)) {
      model.decode(m.create(new long[] {1, 2, 3}, new Shape(1, 3)), null, cache);
      assertThrows(IllegalArgumentException.class,
          () -> model.decode(m.create(new long[] {4}, new Shape(1, 1)), null, cache));
    }
  }
}
