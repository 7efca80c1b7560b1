package dev.stepwise.rl;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import org.junit.jupiter.api.Test;

/** Group normalisation against hand-computed values (two groups of 4; the second all equal). */
class GroupAdvantagesTest {
  private static final double[] R = {1, 0, 0, 0, 1, 1, 1, 1};

  @Test
  void groupScaling() {
    GroupAdvantages a = GroupAdvantages.compute(R, 4, ScaleRewards.GROUP);
    // group 0: mean 0.25, unbiased std sqrt(0.75 / 3) = 0.5
    assertEquals(0.75 / 0.5001, a.advantages()[0], 1e-9);
    assertEquals(-0.25 / 0.5001, a.advantages()[1], 1e-9);
    for (int i = 4; i < 8; i++) {
      assertEquals(0.0, a.advantages()[i], 0.0, "zero-variance group gives zero advantage");
    }
    assertEquals(0.25, a.rewardStd(), 1e-12);
    assertEquals(0.5, a.fracZeroStd(), 0);
  }

  @Test
  void batchScaling() {
    GroupAdvantages a = GroupAdvantages.compute(R, 4, ScaleRewards.BATCH);
    double std = Math.sqrt((5 * 0.375 * 0.375 + 3 * 0.625 * 0.625) / 7); // mean 0.625
    assertEquals(0.75 / (std + 1e-4), a.advantages()[0], 1e-9);
    assertEquals(-0.25 / (std + 1e-4), a.advantages()[3], 1e-9);
    assertEquals(0.0, a.advantages()[5], 0.0);
  }

  @Test
  void noScalingOnlyCentres() {
    assertArrayEquals(new double[] {0.75, -0.25, -0.25, -0.25, 0, 0, 0, 0},
        GroupAdvantages.compute(R, 4, ScaleRewards.NONE).advantages(), 1e-12);
  }

  @Test
  void badInputsAndModes() {
    assertThrows(IllegalArgumentException.class, () -> GroupAdvantages.compute(new double[] {1, 0, 1}, 2, ScaleRewards.GROUP));
    assertThrows(IllegalArgumentException.class, () -> GroupAdvantages.compute(new double[] {1, Double.NaN}, 2, ScaleRewards.GROUP));
    assertEquals(ScaleRewards.BATCH, ScaleRewards.parse("Batch"));
    UserError e = assertThrows(UserError.class, () -> ScaleRewards.parse("groups"));
    assertTrue(e.getMessage().contains("grpo.scale_rewards"), e.getMessage());
  }
}
