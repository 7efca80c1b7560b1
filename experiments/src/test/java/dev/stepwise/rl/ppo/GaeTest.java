package dev.stepwise.rl.ppo;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** GAE, returns and whitening against values computed by hand. */
class GaeTest {
  private static final double[] R = {1, 0, 2};
  private static final double[] V = {0.5, 1, 0.5};

  @Test
  void discountedWithLambda() {
    // t=2: delta = 2 - 0.5 = 1.5 -> A = 1.5
    // t=1: delta = 0 + 0.9·0.5 - 1 = -0.55 -> A = -0.55 + 0.9·0.8·1.5 = 0.53
    // t=0: delta = 1 + 0.9·1 - 0.5 = 1.4 -> A = 1.4 + 0.72·0.53 = 1.7816
    Gae.Result g = Gae.compute(R, V, 0.9, 0.8);
    assertArrayEquals(new double[] {1.7816, 0.53, 1.5}, g.advantages(), 1e-12);
    assertArrayEquals(new double[] {2.2816, 1.53, 2.0}, g.returns(), 1e-12);
  }

  @Test
  void gammaLambdaOneIsReturnToGoMinusValue() {
    Gae.Result g = Gae.compute(R, V, 1, 1);
    assertArrayEquals(new double[] {3 - 0.5, 2 - 1, 2 - 0.5}, g.advantages(), 1e-12);
    assertArrayEquals(new double[] {3, 2, 2}, g.returns(), 1e-12, "returns = reward to go when gamma = lam = 1");
  }

  @Test
  void lambdaZeroIsOneStepTd() {
    Gae.Result g = Gae.compute(R, V, 1, 0);
    assertArrayEquals(new double[] {1 + 1 - 0.5, 0 + 0.5 - 1, 2 - 0.5}, g.advantages(), 1e-12);
  }

  @Test
  void lengthMismatchThrows() {
    assertThrows(IllegalArgumentException.class, () -> Gae.compute(R, new double[2], 1, 1));
  }

  @Test
  void whitenOverRaggedRows() {
    double[][] x = {{1, 2}, {3, 4, 5}};
    Whiten.apply(x, true);
    // mean 3, unbiased variance 2.5
    double s = Math.sqrt(2.5 + 1e-8);
    assertArrayEquals(new double[] {-2 / s, -1 / s}, x[0], 1e-12);
    assertArrayEquals(new double[] {0, 1 / s, 2 / s}, x[1], 1e-12);
    double[][] y = {{1, 2}, {3, 4, 5}};
    Whiten.apply(y, false);
    assertArrayEquals(new double[] {3 - 2 / s, 3 - 1 / s}, y[0], 1e-12, "shift_mean=false keeps the mean");
  }
}
