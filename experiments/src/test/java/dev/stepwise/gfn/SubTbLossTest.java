package dev.stepwise.gfn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** SubTB(λ) against a value computed by hand on a 3-step trajectory, padding, and its gradient. */
class SubTbLossTest {
  // s_0 -> s_1 -> s_2 -> s_3: log F = 0.5, -0.2, 0.1; log P_F = -0.3, -0.4, -0.6; log R = -1.0 (T = 1).
  static final float[] FLOW = {0.5f, -0.2f, 0.1f, 123f}; // the last entry is replaced by log R
  static final float[] PF = {-0.3f, -0.4f, -0.6f};

  @Test
  void handComputedThreeStepValue() {
    // δ(0,1) = 0.5 - 0.3 + 0.2 = 0.4     δ(1,2) = -0.2 - 0.4 - 0.1 = -0.7   δ(2,3) = 0.1 - 0.6 + 1.0 = 0.5
    // δ(0,2) = 0.5 - 0.7 - 0.1 = -0.3    δ(1,3) = -0.2 - 1.0 + 1.0 = -0.2   δ(0,3) = 0.5 - 1.3 + 1.0 = 0.2
    // λ = 0.5: numerator 0.5 (0.16 + 0.49 + 0.25) + 0.25 (0.09 + 0.04) + 0.125 (0.04) = 0.4875
    //          denominator 3 (0.5) + 2 (0.25) + 0.125 = 2.125        L = 0.4875 / 2.125 = 0.2294118
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray l = new SubTbLoss(0.5, 1.0).loss(m.create(FLOW, new Shape(1, 4)), m.create(PF, new Shape(1, 3)),
          m.create(new float[] {-1.0f}), new int[] {3}, m);
      assertEquals(0.4875 / 2.125, l.getFloat(), 1e-6);
      // reward temperature 2: log R / T = -0.5 changes every δ ending at s_3 by -0.5:
      // δ(2,3) = 0.0, δ(1,3) = -0.7, δ(0,3) = -0.3 -> (0.5 (0.16 + 0.49 + 0) + 0.25 (0.09 + 0.49) + 0.125 (0.09)) / 2.125
      NDArray t2 = new SubTbLoss(0.5, 2.0).loss(m.create(FLOW, new Shape(1, 4)), m.create(PF, new Shape(1, 3)),
          m.create(new float[] {-1.0f}), new int[] {3}, m);
      assertEquals((0.5 * 0.65 + 0.25 * 0.58 + 0.125 * 0.09) / 2.125, t2.getFloat(), 1e-6);
    }
  }

  @Test
  void paddedShorterTrajectoryAndBalancedFlowsGiveZero() {
    try (NDManager m = NDManager.newBaseManager()) {
      SubTbLoss loss = new SubTbLoss(0.9, 1.0);
      // Row 0: the 3-step trajectory. Row 1: 2 steps whose flows balance exactly: F_0 = 0.3,
      // F_1 = 0.3 - 0.5 = -0.2, log R = -0.2 - 0.7 = -0.9; padding entries hold junk that must not count.
      NDArray flow = m.create(new float[] {0.5f, -0.2f, 0.1f, 0f, 0.3f, -0.2f, 55f, -7f}, new Shape(2, 4));
      NDArray pf = m.create(new float[] {-0.3f, -0.4f, -0.6f, -0.5f, -0.7f, 9f}, new Shape(2, 3));
      NDArray both = loss.loss(flow, pf, m.create(new float[] {-1.0f, -0.9f}), new int[] {3, 2}, m);
      NDArray first = loss.loss(m.create(FLOW, new Shape(1, 4)), m.create(PF, new Shape(1, 3)),
          m.create(new float[] {-1.0f}), new int[] {3}, m);
      assertEquals(first.getFloat() / 2, both.getFloat(), 1e-6, "the balanced row adds 0 to the mean");
      assertThrows(IllegalArgumentException.class, () -> loss.loss(flow, pf, m.create(new float[] {0f, 0f}), new int[] {3, 4}, m));
      assertThrows(IllegalArgumentException.class, () -> new SubTbLoss(0, 1));
    }
  }

  @Test
  void gradientDescentOnTheFlowsLowersTheLoss() {
    try (NDManager m = NDManager.newBaseManager()) {
      SubTbLoss loss = new SubTbLoss(0.5, 1.0);
      float[] flow = FLOW.clone();
      float first = Float.NaN;
      float last = Float.NaN;
      for (int it = 0; it < 20; it++) {
        try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray f = step.create(flow, new Shape(1, 4));
          f.setRequiresGradient(true);
          NDArray l = loss.loss(f, step.create(PF, new Shape(1, 3)), step.create(new float[] {-1.0f}), new int[] {3}, step);
          gc.backward(l);
          float[] grad = f.getGradient().toFloatArray();
          assertEquals(0f, grad[3], 0f, "the terminal flow is the reward, not a parameter");
          for (int i = 0; i < 3; i++) {
            flow[i] -= 0.5f * grad[i];
          }
          last = l.getFloat();
          if (it == 0) {
            first = last;
          }
        }
      }
      assertTrue(last < first * 0.05, "SubTB should fall towards 0 when only the flows move: " + first + " -> " + last);
    }
  }
}
