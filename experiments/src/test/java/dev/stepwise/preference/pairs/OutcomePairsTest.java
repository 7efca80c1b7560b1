package dev.stepwise.preference.pairs;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The outcome pair builder on hand-made sampled records, judged by the arith task's answer check. */
class OutcomePairsTest {
  final ArithTask task = new ArithTask(ArithConfig.of(1, 1, 9, 99, "+-", 10, 10, 7L));

  static SampleRecord record(String id, String label, String... responses) {
    List<String> preds = new ArrayList<>();
    for (String r : responses) {
      preds.add(r.replaceAll("(?s).*#### ", ""));
    }
    return new SampleRecord(id, "Q " + id + "\n", label, List.of(responses), preds);
  }

  List<PreferencePair> build(List<SampleRecord> recs, int cap, long seed, Map<String, Object> summary) {
    List<PreferencePair> out = new ArrayList<>();
    summary.putAll(OutcomePairs.build(recs, task, cap, seed, out::add));
    return out;
  }

  @Test
  void everyDistinctCorrectTimesEveryDistinctIncorrect() {
    List<SampleRecord> recs = List.of(
        record("a", "5", "2+3=5\n#### 5", "2+3=6\n#### 6", "2+3=5\n#### 5", "so 5\n#### 5", "#### 4", "no answer"),
        record("b", "7", "#### 7", "#### 7"), // all correct: no pair
        record("c", "9", "#### 1", "#### 2")); // all wrong: no pair
    Map<String, Object> summary = new java.util.LinkedHashMap<>();
    List<PreferencePair> pairs = build(recs, 0, 1, summary);
    // Correct (distinct): "2+3=5..." and "so 5..."; incorrect: "#### 6", "#### 4", "no answer".
    assertEquals(6, pairs.size());
    Set<String> combos = new HashSet<>();
    for (PreferencePair p : pairs) {
      assertEquals("a", p.id());
      assertEquals("Q a\n", p.prompt());
      assertTrue(p.chosen().endsWith("#### 5"), p.chosen());
      assertFalse(p.rejected().endsWith("#### 5"), p.rejected());
      assertTrue(p.full());
      assertEquals(1.0, p.chosenReward());
      assertEquals(0.0, p.rejectedReward());
      combos.add(p.chosen() + "|" + p.rejected());
    }
    assertEquals(6, combos.size(), "pairs must be distinct");
    assertEquals("2+3=5\n#### 5", pairs.get(0).chosen(), "correct-major order");
    assertEquals("2+3=6\n#### 6", pairs.get(0).rejected());
    assertEquals(6L, summary.get("pairs/pairs"));
    assertEquals(1, summary.get("pairs/problems_with_pairs"));
    assertEquals(1, summary.get("pairs/all_correct"));
    assertEquals(1, summary.get("pairs/all_wrong"));
    // Fresh objects: no record is shared between two pairs.
    Map<PreferencePair, Boolean> seen = new IdentityHashMap<>();
    pairs.forEach(p -> assertNull(seen.put(p, true), "a record object was emitted twice"));
  }

  @Test
  void capIsASeededSubsetPerProblem() {
    List<String> resp = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      resp.add("way " + i + "\n#### 5");
    }
    for (int i = 0; i < 5; i++) {
      resp.add("bad " + i + "\n#### " + (10 + i));
    }
    SampleRecord big = record("x", "5", resp.toArray(String[]::new));
    SampleRecord small = record("y", "5", "#### 5", "#### 1");
    List<PreferencePair> all = build(List.of(big, small), 0, 3, new java.util.HashMap<>());
    assertEquals(21, all.size());
    List<PreferencePair> capped = build(List.of(big, small), 7, 3, new java.util.HashMap<>());
    assertEquals(8, capped.size(), "7 of x's 20, y's only pair untouched");
    assertEquals(capped, build(List.of(big, small), 7, 3, new java.util.HashMap<>()), "same seed, same pairs");
    // A problem's draw does not depend on the other problems in the file.
    assertEquals(capped.subList(0, 7), build(List.of(big), 7, 3, new java.util.HashMap<>()));
    Set<String> allCombos = new HashSet<>();
    all.forEach(p -> allCombos.add(p.chosen() + "|" + p.rejected()));
    Set<String> cappedCombos = new HashSet<>();
    capped.forEach(p -> cappedCombos.add(p.chosen() + "|" + p.rejected()));
    assertEquals(8, cappedCombos.size(), "drawn without replacement");
    assertTrue(allCombos.containsAll(cappedCombos));
    boolean differs = false;
    for (long seed = 4; seed < 10 && !differs; seed++) {
      differs = !capped.equals(build(List.of(big, small), 7, seed, new java.util.HashMap<>()));
    }
    assertTrue(differs, "the seed must change the draw");
  }

  @Test
  void chosenIndicesAreSortedDistinctAndInRange() {
    int[] idx = OutcomePairs.chosenIndices(30, 10, 5, "id-1");
    assertEquals(10, idx.length);
    for (int i = 1; i < idx.length; i++) {
      assertTrue(idx[i] > idx[i - 1]);
    }
    assertTrue(idx[0] >= 0 && idx[9] < 30);
    assertEquals(30, OutcomePairs.chosenIndices(30, 0, 5, "id-1").length);
  }
}
