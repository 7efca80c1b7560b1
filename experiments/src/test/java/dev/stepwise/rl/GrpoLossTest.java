package dev.stepwise.rl;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The GRPO loss on 2 sequences × 2 tokens with hand-computed values. Old log-probs are 0, so
 * ratio = exp(logp): row 0 (A = +1) has ratios 1.5 and 0.5, row 1 (A = -1) has 0.7 and a
 * masked token. With epsilon 0.2, epsilon_high 0.3: token (0,0) is clipped high (1.5 &gt; 1.3,
 * A &gt; 0) → -1.3; token (0,1) is below 0.8 but A &gt; 0, so not clipped → -0.5; token (1,0)
 * is clipped low (0.7 &lt; 0.8, A &lt; 0) → min(-0.7, -0.8) negated = 0.8.
 */
class GrpoLossTest {
  private static final float[] LOGP = {(float) Math.log(1.5), (float) Math.log(0.5), (float) Math.log(0.7), 0f};

  private record Out(float loss, float low, float high, float region, float kl, float[] grad) {}

  private static Out run(LossType type, double epsHigh, double beta, float[] ref) {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape s = new Shape(2, 2);
      NDArray logp = m.create(LOGP, s);
      logp.setRequiresGradient(true);
      NDArray old = m.zeros(s);
      NDArray refArr = ref == null ? null : m.create(ref, s);
      NDArray adv = m.create(new float[] {1f, -1f});
      NDArray mask = m.create(new float[] {1, 1, 1, 0}, s);
      GrpoLoss.Result r;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        r = GrpoLoss.compute(logp, old, refArr, adv, mask, new GrpoLoss.Params(0.2, epsHigh, beta, type, 4), m);
        gc.backward(r.loss());
      }
      float kl = r.metrics().containsKey("kl") ? r.metrics().get("kl").getFloat() : Float.NaN;
      return new Out(r.loss().getFloat(), r.metrics().get("clip_ratio/low_mean").getFloat(),
          r.metrics().get("clip_ratio/high_mean").getFloat(), r.metrics().get("clip_ratio/region_mean").getFloat(), kl,
          logp.getGradient().toFloatArray());
    }
  }

  @Test
  void tokenMeanLossClipsBothSides() {
    Out o = run(LossType.BNPO, 0.3, 0, null);
    assertEquals((-1.3 - 0.5 + 0.8) / 3, o.loss(), 1e-5);
    assertEquals(1 / 3.0, o.low(), 1e-6);
    assertEquals(1 / 3.0, o.high(), 1e-6);
    assertEquals(2 / 3.0, o.region(), 1e-6);
    // Clipped tokens pass no gradient; the unclipped one gets -A·ratio/3; the masked one none.
    assertArrayEquals(new float[] {0f, (float) (-0.5 / 3), 0f, 0f}, o.grad(), 1e-6f);
    assertTrue(Float.isNaN(o.kl()), "no kl metric when beta = 0");
  }

  @Test
  void dapoEqualsTokenMeanOnAGenerationBatch() {
    assertEquals(run(LossType.BNPO, 0.3, 0, null).loss(), run(LossType.DAPO, 0.3, 0, null).loss(), 0f);
  }

  @Test
  void sequenceMeanAndDrGrpoAveraging() {
    assertEquals(((-1.3 - 0.5) / 2 + 0.8 / 1) / 2, run(LossType.GRPO, 0.3, 0, null).loss(), 1e-5);
    assertEquals((-1.3 - 0.5 + 0.8) / (2 * 4), run(LossType.DR_GRPO, 0.3, 0, null).loss(), 1e-5);
  }

  @Test
  void epsilonHighWidensOnlyTheUpperBound() {
    Out o = run(LossType.BNPO, 0.6, 0, null);
    assertEquals((-1.5 - 0.5 + 0.8) / 3, o.loss(), 1e-5);
    assertEquals(0f, o.high(), 0f);
    assertEquals(1 / 3.0, o.low(), 1e-6);
    assertEquals((float) (-1.5 / 3), o.grad()[0], 1e-6f);
  }

  @Test
  void k3KlTermAddsBetaTimesKl() {
    float[] ref = {0f, 0f, 0f, 0f};
    double beta = 0.1;
    double[] kl = new double[4];
    for (int i = 0; i < 4; i++) {
      double d = ref[i] - LOGP[i];
      kl[i] = Math.exp(d) - d - 1;
    }
    Out o = run(LossType.BNPO, 0.3, beta, ref);
    assertEquals((kl[0] + kl[1] + kl[2]) / 3, o.kl(), 1e-5);
    assertEquals((-1.3 - 0.5 + 0.8 + beta * (kl[0] + kl[1] + kl[2])) / 3, o.loss(), 1e-5);
    // d/dlogp of beta·k3 = beta·(1 - exp(ref - logp)); token (0,0) is clipped so only this term.
    assertEquals(beta * (1 - Math.exp(-LOGP[0])) / 3, o.grad()[0], 1e-6);
  }

  @Test
  void betaWithoutReferenceIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> run(LossType.BNPO, 0.3, 0.1, null));
  }
}
