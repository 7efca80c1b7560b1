package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.stepwise.reward.loss.StepLosses;
import dev.stepwise.reward.model.HeadType;
import dev.stepwise.reward.model.StepScore;
import org.junit.jupiter.api.Test;

/** Each reward loss and accuracy against values computed by hand from their definitions. */
class StepLossesTest {
  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static double bce(double x, double t) {
    return -t * Math.log(sigmoid(x)) - (1 - t) * Math.log(1 - sigmoid(x));
  }

  @Test
  void bceAveragesOverLabelledPositionsOnlyAndItsGradientIsSigmoidMinusTarget() {
    float[] x = {2f, -1f, 0.5f, 3f};
    float[] t = {1f, 0.25f, 0f, 0f};
    float[] mask = {1f, 1f, 1f, 0f};
    double want = (bce(2, 1) + bce(-1, 0.25) + bce(0.5, 0)) / 3;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(x, new Shape(2, 2));
      logits.setRequiresGradient(true);
      NDArray loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss = StepLosses.bce(logits, m.create(t, new Shape(2, 2)), m.create(mask, new Shape(2, 2)), m);
        System.gc(); // the DJL scalar trap shows up as garbage gradients after a GC
        gc.backward(loss);
      }
      assertEquals(want, loss.getFloat(), 1e-6);
      float[] g = logits.getGradient().toFloatArray();
      for (int i = 0; i < 4; i++) {
        assertEquals(mask[i] * (sigmoid(x[i]) - t[i]) / 3, g[i], 1e-6, "d loss / d x[" + i + "]");
      }
      NDArray acc = StepLosses.binaryAccuracy(m.create(x, new Shape(2, 2)), m.create(t, new Shape(2, 2)), m.create(mask, new Shape(2, 2)), m);
      assertEquals(2 / 3.0, acc.getFloat(), 1e-6, "x=2 vs 1 right, x=-1 vs 0.25 right, x=0.5 vs 0 wrong");
    }
  }

  @Test
  void crossEntropyOverValueClasses() {
    float[] x = {1f, 2f, 0f, 0f, 0f, 0f, 5f, -5f, 0f};
    long[] cls = {1, 2, 0};
    float[] mask = {1f, 1f, 0f};
    double lse0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0));
    double want = ((lse0 - 2) + Math.log(3)) / 2;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(x, new Shape(1, 3, 3));
      logits.setRequiresGradient(true);
      NDArray loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss = StepLosses.crossEntropy(logits, m.create(cls, new Shape(1, 3)), m.create(mask, new Shape(1, 3)), m);
        System.gc();
        gc.backward(loss);
      }
      assertEquals(want, loss.getFloat(), 1e-6);
      float[] g = logits.getGradient().toFloatArray();
      double p01 = Math.exp(2 - lse0);
      assertEquals((p01 - 1) / 2, g[1], 1e-6, "softmax minus one-hot, over 2 labels");
      assertEquals(0f, g[6], 1e-9, "the masked position has no gradient");
      NDArray acc = StepLosses.classAccuracy(m.create(x, new Shape(1, 3, 3)), m.create(cls, new Shape(1, 3)), m.create(mask, new Shape(1, 3)), m);
      assertEquals(0.5, acc.getFloat(), 1e-6, "row 0 argmax 1 = class 1; row 1 argmax 0 != 2");
    }
  }

  @Test
  void headProbabilities() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] p = StepScore.EXPECTED.apply(HeadType.SCALAR, m.create(new float[] {0f, 2f}, new Shape(1, 2, 1)), m).toFloatArray();
      assertEquals(0.5, p[0], 1e-6);
      assertEquals(sigmoid(2), p[1], 1e-6);
      float[] q = StepScore.EXPECTED.apply(HeadType.CLASSES, m.create(new float[] {0f, 0f, 0f, 1f, 2f, 3f}, new Shape(1, 2, 3)), m).toFloatArray();
      assertEquals(0.5, q[0], 1e-6, "uniform over values 0, 1/2, 1");
      double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
      assertEquals((0.5 * Math.exp(2) + Math.exp(3)) / z, q[1], 1e-6);
    }
  }
}
