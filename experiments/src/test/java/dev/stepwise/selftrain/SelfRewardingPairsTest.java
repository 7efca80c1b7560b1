package dev.stepwise.selftrain;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Self-Rewarding's highest-against-lowest pairs and the tie rule. */
class SelfRewardingPairsTest {
  static final ArithTask TASK = new ArithTask(ArithConfig.DEFAULTS);

  static SelfRewardingPairs.Scored rec(String id, String label, List<String> responses, Double... scores) {
    return new SelfRewardingPairs.Scored(id, "P" + id, label, responses, Arrays.asList(scores));
  }

  @Test
  void highestAgainstLowestTiesAndUnscoredDropped() {
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = SelfRewardingPairs.pairs(List.of(
        rec("a", null, List.of("r1", "r2", "r3", "r4"), 3.0, 4.5, null, 1.0), // r2 over r4
        rec("b", null, List.of("r1", "r2", "r3"), 4.0, 4.0, 4.0), // all equal: a tie, dropped
        rec("c", null, List.of("r1", "r2", "r3"), null, 2.0, null), // one scored: dropped
        rec("d", null, List.of("r1", "r2", "r3", "r4"), 5.0, 2.0, 5.0, 2.0), // first highest, last lowest
        rec("e", null, List.of("r1", "r2"), 2.0, 2.0 + 1e-9)), // a difference, however small, is no tie
        null, out::add);
    assertEquals(3, out.size());
    assertEquals(new PreferencePair("a", "Pa", "r2", "r4", true, 4.5, 1.0), out.get(0));
    assertEquals(new PreferencePair("d", "Pd", "r1", "r4", true, 5.0, 2.0), out.get(1));
    assertEquals("r2", out.get(2).chosen());
    assertEquals(3L, m.get("pairs/pairs"));
    assertEquals(5, m.get("pairs/problems"));
    assertEquals(1L, m.get("pairs/ties_dropped"));
    assertEquals(1L, m.get("pairs/too_few_scored"));
  }

  @Test
  void agreementWithCorrectnessIsCountedWhenLabelled() {
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = SelfRewardingPairs.pairs(List.of(
        rec("a", "5", List.of("x\n#### 5", "x\n#### 3"), 4.0, 1.0), // correct chosen: agree
        rec("b", "7", List.of("x\n#### 7", "x\n#### 2"), 1.0, 4.0), // wrong chosen: disagree
        rec("c", "1", List.of("x\n#### 1", "x\n#### 1"), 3.0, 2.0)), // both right: neither
        TASK, out::add);
    assertEquals(3, out.size());
    assertEquals(1L, m.get("pairs/judge_agree"));
    assertEquals(1L, m.get("pairs/judge_disagree"));
  }

  @Test
  void mismatchedListsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> rec("a", null, List.of("r1", "r2"), 1.0));
  }
}
