package dev.stepwise.model.cpu;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.TokenChoice;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java CPU decoder against libtorch: the same model decoded by the TorchScript step and by
 * the Java decoder gives the same logits (to float rounding) and the same sampled tokens; its
 * kernels match libtorch's ops; a cache keeps the weights it was created with.
 */
class CpuGpt2Test {
  /** The default model's shape (width 128, 4 heads of 32, 4 layers), vocabulary 100, context 64. */
  static final ModelConfig CFG = new ModelConfig("gpt2", 100, 128, 4, 4, 64, 0, 1e-5, 0.02);
  static NDManager base;
  static CausalLM model;

  @BeforeAll
  static void setUp() {
    base = NDManager.newBaseManager();
    model = new Gpt2Family().create(CFG, base, 5);
    for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
      NDArray p = e.getValue();
      if (p.getShape().dimension() == 2) {
        p.set(p.mul(6f).toByteBuffer()); // spread the logits so that argmax/sampling are sensitive
      }
    }
  }

  @AfterAll
  static void tearDown() {
    model.close();
    base.close();
  }

  static KvCache cache(NDManager m, boolean java, int batch, int cap) {
    System.setProperty(CpuDecoding.PROPERTY, java ? "java" : "torch");
    try {
      KvCache c = model.newCache(m, batch, cap);
      assertEquals(java, CpuDecoder.owns(c));
      return c;
    } finally {
      System.clearProperty(CpuDecoding.PROPERTY);
    }
  }

  static void assertClose(float[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol * Math.max(1, scale), what + " at " + i);
    }
  }

  @Test
  void leftPaddedPrefillAndSampledBlocksMatchTheTorchScriptStep() {
    int rows = 6;
    int width = 12;
    long[] ids = new long[rows * width];
    int[] mask = new int[rows * width];
    Random rnd = new Random(3);
    for (int r = 0; r < rows; r++) {
      int len = 2 + 2 * r;
      for (int k = width - len; k < width; k++) {
        ids[r * width + k] = rnd.nextInt(CFG.vocabSize());
        mask[r * width + k] = 1;
      }
    }
    try (NDManager m = base.newSubManager();
        KvCache jc = cache(m, true, rows, 64);
        KvCache tc = cache(m, false, rows, 64)) {
      NDArray idArr = m.create(ids, new Shape(rows, width));
      NDArray maskArr = m.create(mask, new Shape(rows, width));
      NDArray jl = model.decodeLast(idArr, maskArr, jc);
      NDArray tl = model.decodeLast(idArr, maskArr, tc);
      assertEquals(tl.getShape(), jl.getShape());
      assertClose(tl.toFloatArray(), jl.toFloatArray(), 2e-5, "prefill logits");
      jc.repeatRows(2);
      tc.repeatRows(2);
      jl = jl.repeat(0, 2);
      tl = tl.repeat(0, 2);
      int b = 2 * rows;
      TokenChoice[] choices = {new TokenChoice(false, 1.0, 0, 1.0), new TokenChoice(true, 1.0, 0, 1.0),
          new TokenChoice(false, 0.7, 0, 1.0)};
      for (int block = 0; block < 6; block++) {
        int steps = 4;
        float[] u = new float[b * steps];
        for (int i = 0; i < u.length; i++) {
          u[i] = rnd.nextFloat();
        }
        TokenChoice choice = choices[block % choices.length];
        DecodedBlock j = model.sampleAndDecode(jl, jc, choice, u, steps, m);
        DecodedBlock t = model.sampleAndDecode(tl, tc, choice, u, steps, m);
        assertArrayEquals(t.ids(), j.ids(), "block " + block + " (" + choice + ") token ids");
        assertClose(t.logprobs(), j.logprobs(), 1e-5, "block " + block + " logprobs");
        assertClose(t.logits().toFloatArray(), j.logits().toFloatArray(), 2e-5, "block " + block + " logits");
        jl = j.logits();
        tl = t.logits();
        if (block == 2) { // drop some rows, as the sampler does when they finish
          int[] keep = {0, 3, 4, 7, 11};
          jc.selectRows(keep);
          tc.selectRows(keep);
          NDArray idx = m.create(new long[] {0, 3, 4, 7, 11});
          jl = jl.get(idx);
          tl = tl.get(idx);
          b = keep.length;
        }
      }
      assertEquals(tc.length(), jc.length());
    }
  }

  @Test
  void fullSequenceLogitsMatchRecomputation() {
    long[] ids = {5, 17, 99, 0, 42, 42, 7, 63, 1, 2, 3};
    try (NDManager m = base.newSubManager(); KvCache jc = cache(m, true, 1, 20)) {
      NDArray in = m.create(ids, new Shape(1, ids.length));
      float[] cached = model.decode(in, null, jc).toFloatArray();
      float[] full = model.logits(model.hiddenStates(in, null)).toFloatArray();
      assertClose(full, cached, 2e-5, "logits of every position");
    }
  }

  static NDArray hidden(NDArray ids, NDArray mask, boolean java) {
    System.setProperty(CpuDecoding.PROPERTY, java ? "java" : "torch");
    try {
      return model.hiddenStates(ids, mask);
    } finally {
      System.clearProperty(CpuDecoding.PROPERTY);
    }
  }

  @Test
  void noGradHiddenStatesMatchLibtorchWithLeftAndRightPadding() {
    int rows = 9; // 9 rows: more than one fork-join task
    int width = 20;
    long[] ids = new long[rows * width];
    int[] mask = new int[rows * width];
    Random rnd = new Random(7);
    for (int r = 0; r < rows; r++) {
      int len = 3 + 2 * r;
      int off = r % 2 == 0 ? width - len : 0; // even rows left-padded, odd rows right-padded
      for (int k = 0; k < len; k++) {
        ids[r * width + off + k] = rnd.nextInt(CFG.vocabSize());
        mask[r * width + off + k] = 1;
      }
    }
    try (NDManager m = base.newSubManager()) {
      assertFalse(ai.djl.pytorch.jni.JniUtils.isGradMode(), "the test thread records no graph");
      NDArray idArr = m.create(ids, new Shape(rows, width));
      NDArray maskArr = m.create(mask, new Shape(rows, width));
      float[] t = hidden(idArr, maskArr, false).toFloatArray();
      float[] j = hidden(idArr, maskArr, true).toFloatArray();
      int d = CFG.nEmbd();
      for (int p = 0; p < rows * width; p++) {
        if (mask[p] == 1) {
          for (int k = 0; k < d; k++) {
            assertEquals(t[p * d + k], j[p * d + k], 2e-4, "row " + p / width + " position " + p % width + " dim " + k);
          }
        }
      }
      float[] tn = hidden(idArr, null, false).toFloatArray();
      float[] jn = hidden(idArr, null, true).toFloatArray();
      assertClose(tn, jn, 2e-4, "no mask");
    }
  }

  @Test
  void aCacheKeepsTheWeightsItWasCreatedWith() {
    ModelConfig small = new ModelConfig("gpt2", 50, 64, 2, 2, 32, 0, 1e-5, 0.02);
    try (NDManager m = base.newSubManager()) {
      CausalLM net = new Gpt2Family().create(small, m, 9);
      long[] ids = {1, 2, 3, 4};
      NDArray in = m.create(ids, new Shape(1, 4));
      float[] before = net.logits(net.hiddenStates(in, null)).toFloatArray();
      System.setProperty(CpuDecoding.PROPERTY, "java");
      KvCache old;
      try {
        old = net.newCache(m, 1, 8);
        NDArray w = net.parameters().get("transformer.h.0.mlp.c_fc.weight");
        w.set(w.mul(3f).toByteBuffer());
      } finally {
        System.clearProperty(CpuDecoding.PROPERTY);
      }
      float[] after = net.logits(net.hiddenStates(in, null)).toFloatArray();
      assertNotEquals(before[before.length - 1], after[after.length - 1]);
      KvCache fresh = cache(m, true, 1, 8);
      assertClose(before, net.decode(in, null, old).toFloatArray(), 2e-5, "old cache");
      fresh.close();
      try (KvCache now = net.newCache(m, 1, 8)) {
        assertClose(after, net.decode(in, null, now).toFloatArray(), 2e-5, "new cache");
      }
      old.close();
      assertThrows(IllegalStateException.class, () -> net.decode(in, null, old));
      net.close();
    }
  }

  @Test
  void badInputsAreRejected() {
    try (NDManager m = base.newSubManager(); KvCache jc = cache(m, true, 2, 4)) {
      assertThrows(IllegalArgumentException.class, () -> model.decode(m.create(new long[] {1, 2}, new Shape(1, 2)), null, jc));
      assertThrows(IllegalArgumentException.class, () -> model.decode(m.create(new long[] {1, 100}, new Shape(2, 1)), null, jc));
      assertThrows(IllegalArgumentException.class,
          () -> model.decode(m.create(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new Shape(2, 5)), null, jc));
      assertThrows(IllegalArgumentException.class, () -> jc.selectRows(new int[] {2}));
      assertEquals(0, jc.length(), "a rejected call leaves the cache as it was");
      float[] after = model.decode(m.create(new long[] {1, 2}, new Shape(2, 1)), null, jc).toFloatArray();
      float[] fresh;
      try (KvCache other = cache(m, true, 2, 4)) {
        fresh = model.decode(m.create(new long[] {1, 2}, new Shape(2, 1)), null, other).toFloatArray();
      }
      assertArrayEquals(fresh, after, "positions after a rejected call");
    }
  }
}
