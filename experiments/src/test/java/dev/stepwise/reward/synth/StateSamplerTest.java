package dev.stepwise.reward.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.UserError;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.LogiQa2Config;
import dev.stepwise.task.LogiQa2Task;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Intermediate-state sampling against hand-checked cases: ratio_s, ratio, seeds, shards. */
class StateSamplerTest {
  static final ArithTask ARITH = new ArithTask(ArithConfig.DEFAULTS);
  /** Five steps: four reasoning lines and the answer line. */
  static final String FIVE = "a = 1\nb = 2\r\nc = 3  \nd = 4\n#### 4";

  static SampleRecord rec(String id, String... responses) {
    return new SampleRecord(id, "P:", "4", List.of(responses), List.of(responses).stream().map(r -> "").toList());
  }

  static List<String> states(double ratio, double ratioS, long seed, SampleRecord r) {
    return new StateSampler(ratio, ratioS, seed).states(r, ARITH).stream().map(StateRecord::state).toList();
  }

  @Test
  void ratioOneKeepsEveryPrefixFromFloorOfLenMinusOneTimesRatioSAndDropsTheAnswerStep() {
    SampleRecord r = rec("q", FIVE);
    List<String> all = List.of("a = 1\n", "a = 1\nb = 2\r\n", "a = 1\nb = 2\r\nc = 3  \n", "a = 1\nb = 2\r\nc = 3  \nd = 4\n");
    assertEquals(all, states(1.0, 0.0, 1, r));
    // the reference: int((L - 1) * ratio_s), L = 5 steps
    assertEquals(all.subList(2, 4), states(1.0, 0.5, 1, r)); // int(4 * 0.5) = 2
    assertEquals(all.subList(1, 4), states(1.0, 0.4, 1, r)); // int(1.6) = 1 (floor(5 * 0.4) would be 2)
    assertEquals(all.subList(0, 4), states(1.0, 0.24, 1, r)); // int(0.96) = 0
    assertEquals(all.subList(3, 4), states(1.0, 0.8, 1, r)); // int(3.2) = 3 (floor(5 * 0.8) = 4 would keep none)
    assertEquals(List.of(), states(1.0, 1.0, 1, r)); // int(4) = 4 = the answer step
    assertEquals(List.of(), states(0.0, 0.0, 1, r));
    List<StateRecord> recs = new StateSampler(1, 0, 1).states(r, ARITH);
    assertEquals(List.of(0, 1, 2, 3), recs.stream().map(StateRecord::stepId).toList());
    StateRecord s = recs.get(1);
    assertEquals(List.of("q", "P:", "4", 0, "inter"), List.of(s.id(), s.prompt(), s.label(), s.respId(), s.type()));
  }

  @Test
  void shortBlankAndMultiResponseCases() {
    assertEquals(List.of(), states(1, 0, 1, rec("q", "#### 4")));
    assertEquals(List.of(), states(1, 0, 1, rec("q", "")));
    assertEquals(List.of("x\n"), states(1, 0, 1, rec("q", "x\n#### 4\n")));
    // the answer written on the last reasoning line: the state stops before "####"
    assertEquals(List.of("x = 4"), states(1, 0, 1, rec("q", "x = 4 #### 4")));
    List<StateRecord> two = new StateSampler(1, 0, 1).states(rec("q", "x\n#### 4", "y\nz\n#### 4"), ARITH);
    assertEquals(List.of(0, 1, 1), two.stream().map(StateRecord::respId).toList());
    assertEquals(List.of("x\n", "y\n", "y\nz\n"), two.stream().map(StateRecord::state).toList());
  }

  @Test
  void reactStatesEndAfterTheStepsLine() {
    LogiQa2Task task = new LogiQa2Task(LogiQa2Config.of(null, null));
    String resp = " B is wrong.\nso A.\nAction 1: Search[x]\nObservation 1: y\nAction 2: Finish[A]";
    List<String> got = new StateSampler(1, 0, 3).states(rec("q", resp), task).stream().map(StateRecord::state).toList();
    assertEquals(List.of(" B is wrong.\nso A.\n", " B is wrong.\nso A.\nAction 1: Search[x]\n",
        " B is wrong.\nso A.\nAction 1: Search[x]\nObservation 1: y\n"), got);
  }

  /** Many 12-step responses, for the statistical and seed checks. */
  static List<SampleRecord> many() {
    String resp = String.join("\n", IntStream.range(0, 11).mapToObj(i -> "s" + i).toList()) + "\n#### 4";
    List<SampleRecord> out = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      out.add(rec("p" + i, resp, resp));
    }
    return out;
  }

  static List<String> keys(double ratio, double ratioS, long seed) {
    List<String> k = new ArrayList<>();
    for (SampleRecord r : many()) {
      new StateSampler(ratio, ratioS, seed).states(r, ARITH).forEach(s -> k.add(s.key()));
    }
    return k;
  }

  @Test
  void seedsRatiosAndRatioSActOnOneUniformPerStep() {
    List<String> half = keys(0.5, 0, 7);
    assertEquals(half, keys(0.5, 0, 7), "same seed, same states");
    assertNotEquals(half, keys(0.5, 0, 8), "another seed, other states");
    // 100 problems x 2 responses x 11 candidates = 2200; kept ~ Binomial(2200, 0.5): sd 23.5
    assertTrue(Math.abs(half.size() - 1100) < 5 * 23.5, "kept " + half.size());
    List<String> third = keys(0.3, 0, 7);
    assertTrue(half.containsAll(third) && third.size() < half.size(), "smaller ratio keeps a subset");
    List<String> late = keys(0.5, 0.5, 7); // int(11 * 0.5) = 5: candidates 5..10
    List<String> expected = half.stream().filter(k -> Integer.parseInt(k.substring(k.lastIndexOf('\u0000') + 1)) >= 5).toList();
    assertEquals(expected, late, "ratio_s only removes the early candidates");
    assertEquals(2200, keys(1, 0, 7).size());
  }

  @Test
  void shardsAreBalancedContiguousAndLoseNothing() {
    List<Integer> ten = IntStream.range(0, 10).boxed().toList();
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7), List.of(8, 9)), StateSampler.shards(ten, 4));
    assertEquals(List.of(ten), StateSampler.shards(ten, 1));
    assertEquals(List.of(List.of(0), List.of(1), List.of(), List.of()), StateSampler.shards(List.of(0, 1), 4));
    for (int k = 1; k <= 13; k++) {
      List<Integer> joined = new ArrayList<>();
      StateSampler.shards(ten, k).forEach(joined::addAll);
      assertEquals(ten, joined, "k=" + k);
    }
    assertThrows(UserError.class, () -> StateSampler.shards(ten, 0));
    assertThrows(UserError.class, () -> new StateSampler(1.5, 0, 1));
    assertThrows(UserError.class, () -> new StateSampler(0.5, -0.1, 1));
  }
}
