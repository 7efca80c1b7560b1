package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference check of the autograd gradients of the full forward (embeddings, masked
 * attention, LayerNorm, GELU MLP, tied head): for a random direction d,
 * (L(θ+εd) − L(θ−εd)) / 2ε must match ⟨∇L, d⟩, with L = Σ logits ⊙ R for a fixed random R that
 * is zero at padded positions (their outputs are defined to be unused).
 */
class Gpt2GradientCheckTest {
  static final ModelConfig CFG = new ModelConfig("gpt2", 11, 8, 2, 2, 8, 0, 1e-5, 0.3);

  @Test
  void directionalDerivativesMatchFiniteDifferences() {
    try (NDManager base = NDManager.newBaseManager(); CausalLM model = new Gpt2Family().create(CFG, base, 3)) {
      NDArray ids = base.create(new long[] {0, 0, 4, 7, 1, 9, 2, 5, 3, 8, 10, 6}, new Shape(2, 6));
      NDArray mask = base.create(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 6));
      Random rnd = new Random(5);
      float[] r = new float[2 * 6 * 11];
      for (int i = 0; i < r.length; i++) {
        // padded positions (row 0, positions 0-1) are garbage by design: keep them out of L
        r[i] = i < 2 * 11 ? 0f : (float) rnd.nextGaussian();
      }
      NDArray weights = base.create(r, new Shape(2, 6, 11));
      Map<String, NDArray> params = model.parameters();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(model.logits(model.hiddenStates(ids, mask)).mul(weights).sum());
      }
      for (List<String> group :
          List.of(
              List.copyOf(params.keySet()),
              List.of("transformer.wte.weight"),
              List.of("transformer.wpe.weight"),
              List.of("transformer.h.0.attn.c_attn.weight"),
              List.of("transformer.h.1.mlp.c_fc.bias", "transformer.h.1.ln_2.weight"),
              List.of("transformer.ln_f.bias"))) {
        double analytic = 0;
        float[][] dirs = new float[group.size()][];
        for (int g = 0; g < group.size(); g++) {
          NDArray p = params.get(group.get(g));
          float[] d = new float[(int) p.size()];
          for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
          }
          dirs[g] = d;
          float[] grad = p.getGradient().toFloatArray();
          for (int i = 0; i < d.length; i++) {
            analytic += grad[i] * d[i];
          }
        }
        double eps = 2e-3;
        double plus = lossAt(model, group, dirs, eps, ids, mask, weights);
        double minus = lossAt(model, group, dirs, -eps, ids, mask, weights);
        lossAt(model, group, dirs, 0, ids, mask, weights); // restore
        double numeric = (plus - minus) / (2 * eps);
        assertEquals(analytic, numeric, 2e-2 * Math.max(1, Math.abs(analytic)), "group " + group);
        assertTrue(Math.abs(analytic) > 1e-3, "gradient of " + group + " should not vanish");
      }
    }
  }

  /** Sets θ = θ0 + eps·d for the group (θ0 kept in a side copy), returns L without gradients. */
  private static final Map<String, float[]> ORIGINAL = new java.util.HashMap<>();

  static double lossAt(CausalLM model, List<String> group, float[][] dirs, double eps, NDArray ids, NDArray mask,
      NDArray weights) {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (int g = 0; g < group.size(); g++) {
        NDArray p = model.parameters().get(group.get(g));
        float[] v0 = ORIGINAL.computeIfAbsent(group.get(g) + "@" + System.identityHashCode(p), k -> p.toFloatArray());
        float[] v = new float[v0.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (v0[i] + eps * dirs[g][i]);
        }
        p.set(v);
      }
      try (NDManager s = ids.getManager().newSubManager()) {
        NDArray in = ids.duplicate();
        in.attach(s);
        NDArray l = model.logits(model.hiddenStates(in, mask)).mul(weights).sum();
        return l.getFloat();
      }
    } finally {
      JniUtils.setGradMode(grad);
    }
  }
}
