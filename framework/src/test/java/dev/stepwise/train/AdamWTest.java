package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {
  @TempDir Path dir;

  /** Sets each parameter's gradient to {@code coef} by back-propagating sum(p * coef). */
  static void setGrads(Map<String, NDArray> params, Map<String, float[]> coef, NDManager m) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (var e : params.entrySet()) {
        NDArray c = m.create(coef.get(e.getKey()), e.getValue().getShape());
        NDArray term = c.mul(e.getValue()).sum();
        loss = loss == null ? term : loss.add(term);
      }
      gc.backward(loss);
    }
  }

  @Test
  void twoStepsMatchHandComputedPyTorchValues() {
    // Reference (PyTorch AdamW formula, by hand): p0 = 1, g = 0.5 then -1, lr = 0.1, wd = 0.01,
    // betas (0.9, 0.999), eps 1e-8. Decayed (2-D) param: 0.899000002, 0.934711354;
    // undecayed (1-D) param: 0.900000002, 0.936610354.
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", m.create(new float[] {1f}, new Shape(1, 1)));
      params.put("b", m.create(new float[] {1f}));
      params.values().forEach(p -> p.setRequiresGradient(true));
      try (AdamW opt = new AdamW(params, 0.9, 0.999, 1e-8, 0.01)) {
        float[][] grads = {{0.5f}, {-1f}};
        double[][] expect = {{0.899000002, 0.900000002}, {0.9347113542, 0.9366103542}};
        for (int t = 0; t < 2; t++) {
          try (NDManager s = m.newSubManager()) {
            setGrads(params, Map.of("w", grads[t], "b", grads[t]), s);
            opt.step(Grads.collect(params, s), 0.1, 1.0);
          }
          assertEquals(expect[t][0], params.get("w").toFloatArray()[0], 1e-6, "w after step " + (t + 1));
          assertEquals(expect[t][1], params.get("b").toFloatArray()[0], 1e-6, "b after step " + (t + 1));
        }
        assertEquals(2, opt.stepCount());
        // the update zeroes the gradients
        assertEquals(0f, params.get("w").getGradient().toFloatArray()[0]);
      }
    }
  }

  @Test
  void matchesDoublePrecisionReferenceWithGradScale() {
    Random r = new Random(1);
    int n = 50;
    double lr = 3e-3, wd = 0.1, b1 = 0.8, b2 = 0.95, eps = 1e-6, scale = 0.37;
    double[] p = new double[n], mm = new double[n], vv = new double[n];
    float[] p0 = new float[n];
    for (int i = 0; i < n; i++) {
      p0[i] = (float) r.nextGaussian();
      p[i] = p0[i];
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(p0, new Shape(5, 10));
      w.setRequiresGradient(true);
      Map<String, NDArray> params = Map.of("w", w);
      try (AdamW opt = new AdamW(params, b1, b2, eps, wd)) {
        for (int t = 1; t <= 3; t++) {
          float[] g = new float[n];
          for (int i = 0; i < n; i++) {
            g[i] = (float) (r.nextGaussian() * (i % 7 == 0 ? 1e-4 : 1)); // some tiny gradients: eps matters
          }
          try (NDManager s = m.newSubManager()) {
            setGrads(params, Map.of("w", g), s);
            opt.step(Grads.collect(params, s), lr, scale);
          }
          for (int i = 0; i < n; i++) {
            double gi = g[i] * scale;
            p[i] -= lr * wd * p[i];
            mm[i] = b1 * mm[i] + (1 - b1) * gi;
            vv[i] = b2 * vv[i] + (1 - b2) * gi * gi;
            double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            p[i] -= lr / (1 - Math.pow(b1, t)) * mm[i] / denom;
          }
          float[] got = w.toFloatArray();
          for (int i = 0; i < n; i++) {
            assertEquals(p[i], got[i], 2e-6, "element " + i + " after step " + t);
          }
        }
      }
    }
  }

  @Test
  void savedStateResumesBitExactly() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> a = twoParams(m);
      Map<String, NDArray> b = twoParams(m);
      Map<String, float[]> g1 = Map.of("x.weight", new float[] {1, -2, 3, -4, 5, -6}, "x.bias", new float[] {0.5f, -0.25f});
      Map<String, float[]> g2 = Map.of("x.weight", new float[] {-1, 1, 0.5f, 2, -3, 1}, "x.bias", new float[] {2f, 1f});
      try (AdamW oa = new AdamW(a, 0.9, 0.999, 1e-8, 0.1); AdamW ob = new AdamW(b, 0.9, 0.999, 1e-8, 0.1)) {
        try (NDManager s = m.newSubManager()) {
          setGrads(a, g1, s);
          oa.step(Grads.collect(a, s), 0.01, 1);
          setGrads(b, g1, s);
          ob.step(Grads.collect(b, s), 0.01, 1);
        }
        oa.save(dir);
        try (AdamW fresh = new AdamW(b, 0.5, 0.5, 1e-3, 0.0)) {
          assertThrows(dev.stepwise.config.UserError.class, () -> fresh.loadState(Map.of(), "x"));
        }
        try (AdamW restored = new AdamW(b, 0.9, 0.999, 1e-8, 0.1)) {
          restored.load(dir);
          assertEquals(1, restored.stepCount());
          try (NDManager s = m.newSubManager()) {
            setGrads(a, g2, s);
            oa.step(Grads.collect(a, s), 0.01, 1);
            setGrads(b, g2, s);
            restored.step(Grads.collect(b, s), 0.01, 1);
          }
        }
        for (String k : a.keySet()) {
          assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        }
      }
    }
  }

  private static Map<String, NDArray> twoParams(NDManager m) {
    Map<String, NDArray> p = new LinkedHashMap<>();
    p.put("x.weight", m.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, new Shape(2, 3)));
    p.put("x.bias", m.create(new float[] {1f, -1f}));
    p.values().forEach(t -> t.setRequiresGradient(true));
    return p;
  }
}
