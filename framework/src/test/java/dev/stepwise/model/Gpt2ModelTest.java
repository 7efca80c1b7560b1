package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real arithmetic on a tiny random GPT-2: shapes, padding invariance, gradients. */
class Gpt2ModelTest {
  static final ModelConfig CFG = new ModelConfig("gpt2", 37, 32, 2, 4, 24, 0, 1e-5, 0.02);
  static NDManager base;
  static CausalLM model;

  @BeforeAll
  static void setUp() {
    base = NDManager.newBaseManager();
    // a larger init than GPT-2's 0.02 so that logits differ clearly between positions
    model = new Gpt2Family().create(CFG.withVocabSize(37), base, 7);
    scaleAll(model, 10f);
  }

  /** Multiplies every weight matrix (not LayerNorm) by f so the random model is far from uniform. */
  static void scaleAll(CausalLM m, float f) {
    for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
      if (e.getValue().getShape().dimension() == 2) {
        NDArray p = e.getValue();
        p.set(p.mul(f).toByteBuffer());
      }
    }
  }

  @AfterAll
  static void tearDown() {
    model.close();
    base.close();
  }

  @Test
  void parametersHaveHuggingFaceNamesShapesAndOrder() {
    Map<String, NDArray> p = model.parameters();
    List<String> names = List.copyOf(p.keySet());
    assertEquals("transformer.wte.weight", names.get(0));
    assertEquals("transformer.wpe.weight", names.get(1));
    assertEquals("transformer.h.0.ln_1.weight", names.get(2));
    assertEquals("transformer.ln_f.bias", names.get(names.size() - 1));
    assertEquals(2 + 12 * 2 + 2, names.size());
    assertEquals(new Shape(32, 96), p.get("transformer.h.1.attn.c_attn.weight").getShape());
    assertEquals(new Shape(128, 32), p.get("transformer.h.1.mlp.c_proj.weight").getShape());
    assertFalse(p.containsKey("lm_head.weight"), "head is tied to wte");
    for (NDArray a : p.values()) {
      assertEquals(DataType.FLOAT32, a.getDataType());
      assertTrue(a.hasGradient());
    }
  }

  @Test
  void initIsDeterministicInTheSeedAndFollowsGpt2() {
    try (NDManager m = NDManager.newBaseManager();
        CausalLM a = new Gpt2Family().create(CFG, m, 3);
        CausalLM b = new Gpt2Family().create(CFG, m, 3);
        CausalLM c = new Gpt2Family().create(CFG, m, 4)) {
      for (String k : a.parameters().keySet()) {
        assertArrayEquals(a.parameters().get(k).toFloatArray(), b.parameters().get(k).toFloatArray(), k);
      }
      String w = "transformer.h.0.attn.c_attn.weight";
      assertFalse(java.util.Arrays.equals(
          a.parameters().get(w).toFloatArray(), c.parameters().get(w).toFloatArray()));
      double sd = std(a.parameters().get(w).toFloatArray());
      assertEquals(0.02, sd, 0.002);
      double sdProj = std(a.parameters().get("transformer.h.0.mlp.c_proj.weight").toFloatArray());
      assertEquals(0.02 / Math.sqrt(4), sdProj, 0.001);
      for (float v : a.parameters().get("transformer.h.1.ln_2.weight").toFloatArray()) {
        assertEquals(1f, v);
      }
      for (float v : a.parameters().get("transformer.h.1.attn.c_attn.bias").toFloatArray()) {
        assertEquals(0f, v);
      }
    }
  }

  static double std(float[] v) {
    double s = 0, s2 = 0;
    for (float x : v) {
      s += x;
      s2 += x * x;
    }
    double mean = s / v.length;
    return Math.sqrt(s2 / v.length - mean * mean);
  }

  @Test
  void forwardShapes() {
    try (NDManager m = base.newSubManager()) {
      NDArray ids = m.create(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 4));
      NDArray h = model.hiddenStates(ids, null);
      assertEquals(new Shape(2, 4, 32), h.getShape());
      NDArray logits = model.logits(h);
      assertEquals(new Shape(2, 4, 37), logits.getShape());
      assertTrue(finite(logits));
      assertThrows(IllegalArgumentException.class,
          () -> model.hiddenStates(m.zeros(new Shape(1, 25), DataType.INT64), null));
    }
  }

  @Test
  void leftPaddedBatchEqualsUnpaddedSequences() {
    long[] a = {5, 9, 2, 11, 30, 4};
    long[] b = {7, 3, 8};
    try (NDManager m = base.newSubManager()) {
      float[] la = model.logits(model.hiddenStates(m.create(a, new Shape(1, 6)), null)).toFloatArray();
      float[] lb = model.logits(model.hiddenStates(m.create(b, new Shape(1, 3)), null)).toFloatArray();
      long pad = 0;
      NDArray ids = m.create(new long[] {5, 9, 2, 11, 30, 4, pad, pad, pad, 7, 3, 8}, new Shape(2, 6));
      NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1}, new Shape(2, 6));
      float[] batch = model.logits(model.hiddenStates(ids, mask)).toFloatArray();
      int v = 37;
      for (int i = 0; i < 6 * v; i++) {
        assertEquals(la[i], batch[i], 1e-5, "row 0 index " + i);
      }
      for (int i = 0; i < 3 * v; i++) {
        assertEquals(lb[i], batch[(6 + 3) * v + i], 1e-5, "row 1 index " + i);
      }
      // right padding: real positions unchanged, also without a mask
      NDArray right = m.create(new long[] {7, 3, 8, 1, 1, 1}, new Shape(1, 6));
      float[] r = model.logits(model.hiddenStates(right, null)).toFloatArray();
      for (int i = 0; i < 3 * v; i++) {
        assertEquals(lb[i], r[i], 1e-5);
      }
      // and the padded logits are really different from a shifted, unmasked run
      NDArray noMask = model.logits(model.hiddenStates(ids, null));
      float[] nm = noMask.toFloatArray();
      double diff = 0;
      for (int i = 0; i < 3 * v; i++) {
        diff = Math.max(diff, Math.abs(lb[i] - nm[(6 + 3) * v + i]));
      }
      assertTrue(diff > 1e-2, "mask must matter, max diff " + diff);
    }
  }

  @Test
  void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() throws Exception {
    try (NDManager m = base.newSubManager()) {
      NDArray ids = m.create(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new Shape(2, 5));
      NDArray mask = m.create(new long[] {0, 1, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 5));
      NDArray targets = m.create(new long[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new Shape(2, 5, 1));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray lsm = model.logits(model.hiddenStates(ids, mask)).logSoftmax(-1);
        NDArray loss = lsm.gather(targets, -1).mean().neg();
        for (int i = 0; i < 3; i++) {
          System.gc();
          Thread.sleep(20);
        }
        gc.backward(loss);
      }
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        NDArray g = e.getValue().getGradient();
        float[] v = g.toFloatArray();
        double norm = 0;
        for (float x : v) {
          assertTrue(Float.isFinite(x), e.getKey());
          norm += x * x;
        }
        assertTrue(norm > 0, "zero gradient for " + e.getKey());
        g.close();
      }
    }
  }

  static boolean finite(NDArray a) {
    for (float v : a.toFloatArray()) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
