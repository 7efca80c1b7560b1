package dev.stepwise.preference.pairs;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.reward.synth.RolloutRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Step pairs on hand-made rollout records: grouping by shared prefix, pooling duplicate states,
 * ranking by MC value with a strict margin, full records, the seeded per-problem cap, and a fresh
 * record per pair.
 */
class StepPairsTest {
  static final ArithTask TASK = new ArithTask(ArithConfig.DEFAULTS);
  static final String Q = "Question: q\nAnswer:\n";

  /** An intermediate state with {@code value} of 4 rollouts correct. */
  static RolloutRecord inter(String id, int resp, String state, int value) {
    return new RolloutRecord(id, Q, "5", resp, 0, state, "inter", List.of("a", "b", "c", "d"), value, value / 4.0);
  }

  static RolloutRecord full(String id, int resp, String state, boolean correct) {
    return new RolloutRecord(id, Q, "5", resp, 1, state, "full", List.of(), correct ? 4 : 0, correct ? 1 : 0);
  }

  static final List<RolloutRecord> RECORDS = List.of(
      inter("p", 0, "s1\nx2\n", 3),
      inter("p", 1, "s1\ny2\n", 0),
      inter("p", 2, "s1\nz2\n", 2),
      inter("p", 3, "s1\nx2\n", 1), // same state as resp 0: pooled to 4/8
      inter("p", 0, "s1\n", 1),
      inter("p", 4, "t1\n", 4),
      full("p", 0, "s1\nx2\n#### 5", true),
      full("p", 5, "s1\nx2\n#### 6", false),
      inter("other", 0, "s1\nw2\n", 4)); // another problem: never grouped with p

  static List<PreferencePair> build(double margin, boolean full, int cap, long seed, Map<String, Object>[] summary) {
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = StepPairs.pairs(RECORDS, TASK, margin, full, cap, seed, out::add);
    if (summary != null) {
      summary[0] = m;
    }
    return out;
  }

  @Test
  void siblingsSharingAPrefixAreRankedByPooledMcValueAboveTheMargin() {
    @SuppressWarnings("unchecked") Map<String, Object>[] s = new Map[1];
    List<PreferencePair> out = build(0.4, false, 0, 1, s);
    assertEquals(List.of(
        new PreferencePair("p", Q + "s1\n", "x2\n", "y2\n", false, 0.5, 0.0),
        new PreferencePair("p", Q + "s1\n", "z2\n", "y2\n", false, 0.5, 0.0),
        new PreferencePair("p", Q, "t1\n", "s1\n", false, 1.0, 0.25)), out);
    assertEquals(1L, s[0].get("pairs/below_margin"), "x2 vs z2: equal values");
    assertEquals(7L, s[0].get("pairs/states"));
    assertEquals(2, s[0].get("pairs/problems"));
    assertEquals(1, s[0].get("pairs/problems_with_pairs"));
  }

  @Test
  void theMarginIsStrictAndFullRecordsAddAnswerSteps() {
    List<PreferencePair> out = build(0.5, true, 0, 1, null);
    assertEquals(List.of(
        new PreferencePair("p", Q, "t1\n", "s1\n", false, 1.0, 0.25),
        new PreferencePair("p", Q + "s1\nx2\n", "#### 5", "#### 6", false, 1.0, 0.0)), out,
        "0.5 - 0.0 is not above 0.5");
    assertTrue(build(0.99, true, 0, 1, null).stream().allMatch(p -> p.chosenReward() - p.rejectedReward() > 0.99));
  }

  @Test
  void theCapIsASeededSubsetInOrderAndEveryPairIsItsOwnRecord() {
    List<PreferencePair> all = build(0.2, true, 0, 1, null);
    assertEquals(4, all.size());
    List<PreferencePair> a = build(0.2, true, 2, 9, null);
    assertEquals(a, build(0.2, true, 2, 9, null), "same seed, same draw");
    assertEquals(2, a.size());
    assertTrue(all.containsAll(a));
    assertTrue(all.indexOf(a.get(0)) < all.indexOf(a.get(1)), "kept in order");
    boolean differs = false;
    for (long seed = 0; seed < 20 && !differs; seed++) {
      differs = !build(0.2, true, 2, seed, null).equals(a);
    }
    assertTrue(differs, "the draw depends on the seed");
    Map<PreferencePair, Boolean> ids = new IdentityHashMap<>();
    all.forEach(p -> ids.put(p, true));
    assertEquals(all.size(), ids.size(), "no record emitted twice");
    assertEquals(all.size(), all.stream().distinct().count(), "no two records equal");
    assertEquals(Collections.nCopies(all.size(), false), all.stream().map(PreferencePair::isFull).toList());
  }
}
