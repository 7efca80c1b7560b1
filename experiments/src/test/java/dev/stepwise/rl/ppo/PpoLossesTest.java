package dev.stepwise.rl.ppo;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * PPO's clipped policy and value losses on 1×4 tokens with hand-computed values and gradients:
 * zero gradient exactly where the clipped term binds.
 */
class PpoLossesTest {
  @Test
  void policyLossClipsAtTheBounds() {
    // old = 0, so ratio = exp(logp); cliprange 0.2
    float[] ratio = {1.5f, 1.1f, 0.5f, 0.5f};
    float[] adv = {1f, 1f, -1f, 1f};
    try (NDManager m = NDManager.newBaseManager()) {
      Shape s = new Shape(1, 4);
      float[] lp = new float[4];
      for (int i = 0; i < 4; i++) {
        lp[i] = (float) Math.log(ratio[i]);
      }
      NDArray logp = m.create(lp, s);
      logp.setRequiresGradient(true);
      PpoPolicyLoss.Result r;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        r = PpoPolicyLoss.compute(logp, m.zeros(s), m.create(adv, s), m.ones(s), 0.2, m);
        gc.backward(r.loss());
      }
      // token 0: A>0, ratio 1.5 > 1.2 -> -1.2 (clipped); token 1: inside -> -1.1;
      // token 2: A<0, ratio 0.5 < 0.8 -> max(0.5, 0.8) = 0.8 (clipped); token 3: A>0, ratio 0.5 -> -0.5 (not clipped)
      assertEquals((-1.2 - 1.1 + 0.8 - 0.5) / 4, r.loss().getFloat(), 1e-6);
      // d/dlogp of -A·ratio = -A·ratio; clipped tokens: 0
      assertArrayEquals(new float[] {0f, -1.1f / 4, 0f, -0.5f / 4}, logp.getGradient().toFloatArray(), 1e-6f);
      assertEquals(0.5, r.metrics().get("policy/clipfrac_avg").getFloat(), 1e-6);
      double kl = 0;
      for (float v : lp) {
        kl += v * v;
      }
      assertEquals(0.5 * kl / 4, r.metrics().get("policy/approxkl_avg").getFloat(), 1e-6);
      assertEquals((1.5 + 1.1 + 0.5 + 0.5) / 4, r.metrics().get("val/ratio").getFloat(), 1e-6);
    }
  }

  @Test
  void valueLossClipsAtTheBounds() {
    // old = 0, cliprange_value 0.2
    float[] v = {0.5f, 0.1f, 0.5f, -0.6f};
    float[] ret = {1f, 1f, 0f, 0f};
    float[] mask = {1, 1, 1, 0};
    try (NDManager m = NDManager.newBaseManager()) {
      Shape s = new Shape(1, 4);
      NDArray values = m.create(v, s);
      values.setRequiresGradient(true);
      ValueLoss.Result r;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        r = ValueLoss.compute(values, m.zeros(s), m.create(ret, s), m.create(mask, s), 0.2, m);
        gc.backward(r.loss());
      }
      // token 0: (0.5-1)²=0.25 vs clipped (0.2-1)²=0.64 -> 0.64, no gradient (clipped value is constant)
      // token 1: inside the range: (0.1-1)² = 0.81 both -> gradient 0.5·2·(0.1-1)/3
      // token 2: (0.5-0)² = 0.25 vs (0.2-0)² = 0.04 -> 0.25, gradient 0.5·2·0.5/3
      // token 3: masked
      assertEquals(0.5 * (0.64 + 0.81 + 0.25) / 3, r.loss().getFloat(), 1e-6);
      assertArrayEquals(new float[] {0f, (float) (-0.9 / 3), (float) (0.5 / 3), 0f}, values.getGradient().toFloatArray(), 1e-6f);
      assertEquals(1 / 3.0, r.metrics().get("val/clipfrac_avg").getFloat(), 1e-6);
    }
  }
}
