package dev.stepwise.preference.loss;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.stepwise.config.UserError;
import org.junit.jupiter.api.Test;

/**
 * Each loss type against values computed by hand from its formula (TRL {@code dpo_loss}), and
 * the sign of its gradient in z.
 */
class DpoLossTest {
  static final float[] Z = {-2f, 0f, 0.5f, 3f};

  static double logSig(double x) {
    return -Math.log1p(Math.exp(-x));
  }

  /** Per-pair losses and d(sum loss)/dz for {@code Z}. */
  static float[][] run(DpoLoss loss, double beta) {
    try (NDManager m = NDManager.newBaseManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray z = m.create(Z);
      z.setRequiresGradient(true);
      NDArray l = loss.losses(z, beta, m);
      System.gc(); // the autograd trap: every scalar must outlive the graph
      gc.backward(l.sum());
      return new float[][] {l.toFloatArray(), z.getGradient().toFloatArray()};
    }
  }

  @Test
  void sigmoidIsMinusLogSigmoidOfBetaZ() {
    double beta = 0.1;
    float[][] r = run(new SigmoidLoss(0), beta);
    for (int i = 0; i < Z.length; i++) {
      double bz = beta * Z[i];
      assertEquals(-logSig(bz), r[0][i], 1e-6, "loss at z=" + Z[i]);
      // d/dz -log σ(βz) = -β (1 - σ(βz))
      assertEquals(-beta * (1 - 1 / (1 + Math.exp(-bz))), r[1][i], 1e-6);
      assertTrue(r[1][i] < 0, "sigmoid gradient must push z up");
    }
    assertEquals(Math.log(2), r[0][1], 1e-6);
  }

  @Test
  void labelSmoothingIsConservativeDpo() {
    double beta = 0.5;
    double eps = 0.1;
    float[][] r = run(new SigmoidLoss(eps), beta);
    for (int i = 0; i < Z.length; i++) {
      double bz = beta * Z[i];
      assertEquals(-(1 - eps) * logSig(bz) - eps * logSig(-bz), r[0][i], 1e-6);
    }
    // Hand value at z = 3, β = 0.5: -0.9·log σ(1.5) - 0.1·log σ(-1.5)
    assertEquals(0.9 * 0.201413 + 0.1 * 1.701413, r[0][3], 1e-5);
    // With smoothing the gradient turns positive once βz is large: the optimum is finite.
    assertTrue(run(new SigmoidLoss(0.4), 1.0)[1][3] > 0);
  }

  @Test
  void robustEqualsSigmoidWithoutNoiseAndDebiasesWithIt() {
    float[][] plain = run(new RobustLoss(0), 0.3);
    float[][] sig = run(new SigmoidLoss(0), 0.3);
    assertArrayEquals(sig[0], plain[0], 1e-6f);
    double beta = 0.3;
    double eps = 0.2;
    float[][] r = run(new RobustLoss(eps), beta);
    for (int i = 0; i < Z.length; i++) {
      double bz = beta * Z[i];
      assertEquals((-(1 - eps) * logSig(bz) + eps * logSig(-bz)) / (1 - 2 * eps), r[0][i], 1e-6);
      assertTrue(r[1][i] < 0, "robust gradient must push z up");
    }
  }

  @Test
  void hingeIsReluOfOneMinusBetaZ() {
    double beta = 0.5;
    float[][] r = run(new HingeLoss(), beta);
    assertArrayEquals(new float[] {2f, 1f, 0.75f, 0f}, r[0], 1e-6f);
    assertArrayEquals(new float[] {-0.5f, -0.5f, -0.5f, 0f}, r[1], 1e-6f);
  }

  @Test
  void ipoIsSquaredDistanceToTheMarginAndAveragesLogProbs() {
    double beta = 0.25; // target margin 1/(2β) = 2
    float[][] r = run(new IpoLoss(true), beta);
    assertArrayEquals(new float[] {16f, 4f, 2.25f, 1f}, r[0], 1e-6f);
    assertArrayEquals(new float[] {-8f, -4f, -3f, 2f}, r[1], 1e-6f); // 2(z - 2): down past the margin
    assertTrue(new IpoLoss(true).averagesLogProbs());
    assertFalse(new SigmoidLoss(0).averagesLogProbs());
  }

  @Test
  void ipoOnSumsIsTheLprReferencesOptionAndAveragingIsTrlsDefault() {
    // issue 20: the LPR reference (models/llama.py) applies IPO to summed log-probabilities
    assertFalse(DpoLosses.of("ipo", 0, false).averagesLogProbs());
    assertTrue(DpoLosses.of("ipo", 0, true).averagesLogProbs());
    assertTrue(DpoLosses.of("ipo", 0, null).averagesLogProbs());
    assertTrue(DpoLosses.of("ipo", 0).averagesLogProbs());
    assertFalse(DpoLosses.of("sigmoid", 0, false).averagesLogProbs());
    UserError e = assertThrows(UserError.class, () -> DpoLosses.of("sigmoid", 0, true));
    assertTrue(e.getMessage().contains("dpo.ipo_average_log_probs"), e.getMessage());
  }

  @Test
  void lookupByNameAndUserErrors() {
    assertEquals("robust", DpoLosses.of("robust", 0.1).name());
    assertEquals("ipo", DpoLosses.of("ipo", 0).name());
    UserError e = assertThrows(UserError.class, () -> DpoLosses.of("sigmod", 0));
    assertTrue(e.getMessage().contains("Did you mean 'sigmoid'") && e.getMessage().contains("hinge"), e.getMessage());
    assertThrows(UserError.class, () -> DpoLosses.of("hinge", 0.1));
    assertThrows(UserError.class, () -> DpoLosses.of("robust", 0.5));
    assertThrows(UserError.class, () -> DpoLosses.of("sigmoid", -0.1));
  }
}
