package dev.stepwise.rl.ppo;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import dev.stepwise.model.CharTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KL estimators, reward placement on step-end tokens, clipping, NaN errors, step token ends. */
class RewardPlacementTest {
  private static final double[] KL = {0.1, 0.2, 0.3, 0.4};

  @Test
  void klEstimators() {
    assertEquals(1.0, KlEstimator.K1.apply(-1, -2), 1e-12);
    assertEquals(-1.0, KlEstimator.K1.apply(-2, -1), 1e-12, "k1 can be negative");
    assertEquals(Math.exp(-1) - 1 + 1, KlEstimator.K3.apply(-1, -2), 1e-12);
    assertEquals(Math.exp(1) - 1 - 1, KlEstimator.K3.apply(-2, -1), 1e-12);
    assertEquals(0, KlEstimator.K3.apply(-0.7, -0.7), 0);
    assertEquals(0, KlEstimator.K1.apply(-0.7, -0.7), 0);
    assertThrows(UserError.class, () -> KlEstimator.parse("k2"));
  }

  @Test
  void processPutsEachStepScoreOnItsLastToken() {
    RewardPlacement.Result r = RewardPlacement.place(KL, 0.5, new int[] {1, 3}, new double[] {0.7, 0.9}, 1.0,
        RewardMode.PROCESS, 0, "p");
    assertArrayEquals(new double[] {-0.05, -0.1 + 0.7, -0.15, -0.2 + 0.9}, r.rewards(), 1e-12);
    assertEquals(1.6, r.scores(), 1e-12);
    assertEquals(-0.5, r.nonScore(), 1e-12);
  }

  @Test
  void outcomeOnLastTokenAndBoth() {
    RewardPlacement.Result o = RewardPlacement.place(KL, 0.5, new int[] {1, 3}, new double[] {0.7, 0.9}, 1.0,
        RewardMode.OUTCOME, 0, "p");
    assertArrayEquals(new double[] {-0.05, -0.1, -0.15, -0.2 + 1}, o.rewards(), 1e-12);
    RewardPlacement.Result b = RewardPlacement.place(KL, 0.5, new int[] {1, 3}, new double[] {0.7, 0.9}, 1.0,
        RewardMode.PROCESS_OUTCOME, 0, "p");
    assertArrayEquals(new double[] {-0.05, -0.1 + 0.7, -0.15, -0.2 + 0.9 + 1}, b.rewards(), 1e-12);
    assertEquals(2.6, b.scores(), 1e-12);
  }

  @Test
  void rewardClipLimitsPlacedScoresNotKl() {
    RewardPlacement.Result r = RewardPlacement.place(KL, 10, new int[] {0}, new double[] {5}, -3,
        RewardMode.PROCESS_OUTCOME, 2, "p");
    assertArrayEquals(new double[] {-1 + 2, -2, -3, -4 - 2}, r.rewards(), 1e-12);
  }

  @Test
  void nanIsAClearErrorNamingItsSource() {
    UserError e = assertThrows(UserError.class, () -> RewardPlacement.place(KL, 0.5, new int[] {1, 3},
        new double[] {0.7, Double.NaN}, 1, RewardMode.PROCESS, 0, "problem train-3"));
    assertTrue(e.getMessage().contains("PRM") && e.getMessage().contains("step 1") && e.getMessage().contains("train-3"), e.getMessage());
    e = assertThrows(UserError.class, () -> RewardPlacement.place(new double[] {0, Double.NaN}, 0.5, new int[0],
        new double[0], 1, RewardMode.OUTCOME, 0, "problem train-4"));
    assertTrue(e.getMessage().contains("KL") && e.getMessage().contains("token 1") && e.getMessage().contains("train-4"), e.getMessage());
    e = assertThrows(UserError.class, () -> RewardPlacement.place(KL, 0.5, new int[0], new double[0], Double.NaN,
        RewardMode.OUTCOME, 0, "problem train-5"));
    assertTrue(e.getMessage().contains("outcome"), e.getMessage());
  }

  @Test
  void stepEndCharactersMapToTheirTokens() {
    CharTokenizer tok = CharTokenizer.fromTexts(List.of("ab\ncd = 5"));
    int[] ids = tok.encode("ab\ncd");
    int[] withEos = java.util.Arrays.copyOf(ids, ids.length + 1);
    withEos[ids.length] = tok.eosId();
    assertArrayEquals(new int[] {1, 4}, StepTokens.ends(tok, withEos, List.of(2, 5)));
    assertArrayEquals(new int[] {5}, StepTokens.ends(tok, withEos, List.of(99)), "past the text: the last token");
  }
}
