package dev.stepwise.preference.pairs;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.reward.predict.Reduce;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The best-of (process-reward) pair builder on hand-made prediction records. */
class BestOfPairsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final ArithTask task = new ArithTask(ArithConfig.of(1, 1, 9, 99, "+-", 10, 10, 7L));
  @TempDir Path dir;

  /** A problem "p" whose responses are c1..c4 (correct) and w1..w3 (incorrect), rewards given in order. */
  static Scored problem() {
    return new Scored("p", "Q\n",
        List.of("c1", "w1", "c2", "w2", "c3", "w3", "c4"),
        List.of(true, false, true, false, true, false, true),
        List.of(0.5, 0.3, 0.9, 0.8, 0.7, 0.1, 0.2));
  }

  static List<PreferencePair> run(List<Scored> s, int bestOf, int maxNeg, Double margin, Map<String, Object> sum) {
    List<PreferencePair> out = new ArrayList<>();
    sum.putAll(BestOfPairs.pairs(s, bestOf, maxNeg, margin, out::add));
    return out;
  }

  static List<String> texts(List<PreferencePair> ps) {
    List<String> t = new ArrayList<>();
    ps.forEach(p -> t.add(p.chosen() + ">" + p.rejected()));
    return t;
  }

  @Test
  void topCorrectByRewardEachPairedWithIncorrectInDescendingRewardOrder() {
    Map<String, Object> sum = new LinkedHashMap<>();
    List<PreferencePair> ps = run(List.of(problem()), 2, 0, null, sum);
    // Correct by reward: c2 .9, c3 .7, c1 .5, c4 .2; incorrect: w2 .8, w1 .3, w3 .1.
    assertEquals(List.of("c2>w2", "c2>w1", "c2>w3", "c3>w2", "c3>w1", "c3>w3"), texts(ps));
    PreferencePair first = ps.get(0);
    assertEquals("p", first.id());
    assertEquals("Q\n", first.prompt());
    assertEquals(Boolean.TRUE, first.isFull());
    assertEquals(0.9, first.chosenReward());
    assertEquals(0.8, first.rejectedReward());
    assertEquals(0.1, ps.get(5).rejectedReward());
    assertEquals(6L, sum.get("pairs/pairs"));
    assertEquals(0L, sum.get("pairs/correct_vs_correct"));
    assertEquals(1, sum.get("pairs/problems_with_pairs"));
  }

  @Test
  void bestOfAndMaxNegNumCap() {
    assertEquals(List.of("c2>w2", "c2>w1"), texts(run(List.of(problem()), 1, 2, null, new LinkedHashMap<>())));
    Map<String, Object> sum = new LinkedHashMap<>();
    List<PreferencePair> all = run(List.of(problem()), 10, 1, null, sum);
    assertEquals(List.of("c2>w2", "c3>w2", "c1>w2", "c4>w2"), texts(all));
    assertEquals(1, sum.get("pairs/fewer_correct_than_best_of"));
  }

  @Test
  void posMarginAddsCorrectVsCorrectPairsAboveTheGap() {
    Map<String, Object> sum = new LinkedHashMap<>();
    List<PreferencePair> ps = run(List.of(problem()), 2, 1, 0.25, sum);
    // c2 (.9) beats c1 (.5, gap .4) and c4 (.2, gap .7) but not c3 (gap .2); c3 (.7) beats c4 (gap .5).
    assertEquals(List.of("c2>w2", "c3>w2", "c2>c1", "c2>c4", "c3>c4"), texts(ps));
    assertEquals(3L, sum.get("pairs/correct_vs_correct"));
    assertEquals(0.2, ps.get(3).rejectedReward());
    assertEquals(texts(run(List.of(problem()), 2, 1, null, new LinkedHashMap<>())),
        texts(run(List.of(problem()), 2, 1, -1.0, new LinkedHashMap<>())), "negative margin = off");
    assertEquals(2, run(List.of(problem()), 2, 1, 5.0, new LinkedHashMap<>()).size(), "gap never exceeded");
  }

  @Test
  void duplicateResponsesGiveNoDuplicatePairsAndNoCorrectGivesNone() {
    Scored dup = new Scored("d", "Q\n", List.of("c", "w", "c", "w", "c2"),
        List.of(true, false, true, false, true), List.of(0.9, 0.5, 0.9, 0.5, 0.1));
    Scored wrong = new Scored("x", "Q\n", List.of("w"), List.of(false), List.of(0.4));
    Map<String, Object> sum = new LinkedHashMap<>();
    List<PreferencePair> ps = run(List.of(dup, wrong), 3, 0, 0.0, sum);
    assertEquals(List.of("c>w", "c2>w", "c>c2"), texts(ps));
    assertEquals(1, sum.get("pairs/all_wrong"));
    assertEquals(2, sum.get("pairs/problems"));
  }

  @Test
  void everyPairIsItsOwnObject() {
    List<PreferencePair> ps = run(List.of(problem(), problem()), 4, 0, 0.0, new LinkedHashMap<>());
    Map<PreferencePair, Boolean> seen = new IdentityHashMap<>();
    ps.forEach(p -> assertNull(seen.put(p, true), "a record object was emitted twice"));
    // Serialised as mutable JSON objects (the reference's dicts), changing one changes no other.
    List<ObjectNode> nodes = new ArrayList<>();
    ps.forEach(p -> nodes.add(JSON.valueToTree(p)));
    String before = nodes.get(1).toString();
    nodes.get(0).put("chosen", "MUTATED");
    assertEquals(before, nodes.get(1).toString());
    assertEquals("c2", ps.get(0).chosen());
    assertNotEquals(ps.get(0), ps.get(1), "pairs differ, not collapsed into one");
  }

  ObjectNode record(String id, List<String> resp, List<Boolean> correct, List<List<Double>> steps) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", id).put("prompt", "Q " + id + "\n").put("label", "5");
    n.set("response", JSON.valueToTree(resp));
    n.set("pred", JSON.valueToTree(resp));
    if (correct != null) {
      n.set("correct", JSON.valueToTree(correct));
    }
    n.set("step_probs", JSON.valueToTree(steps));
    ObjectNode rw = n.putObject("rewards");
    for (Reduce r : Reduce.values()) {
      ArrayNode a = rw.putArray(r.key());
      for (List<Double> s : steps) {
        float[] f = new float[s.size()];
        for (int i = 0; i < f.length; i++) {
          f[i] = s.get(i).floatValue();
        }
        a.add(r.apply(f));
      }
    }
    return n;
  }

  Path write(String name, List<String> lines) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, lines);
    return f;
  }

  @Test
  void eachReduceRanksByItsOwnReward() throws Exception {
    // a: steps .9, .9, .1 -> product .081, min .1, sum 1.9, last .1
    // b: steps .5, .5     -> product .25,  min .5, sum 1.0, last .5
    // c: steps .2, .95    -> product .19,  min .2, sum 1.15, last .95
    // All three correct; with best_of = 1 and pos_margin = 0 the top one is paired with the other two.
    ObjectNode rec = record("r", List.of("a", "b", "c", "bad"), List.of(true, true, true, false),
        List.of(List.of(.9, .9, .1), List.of(.5, .5), List.of(.2, .95), List.of(.3)));
    Path f = write("pred.jsonl", List.of(rec.toString()));
    Map<Reduce, String> top = Map.of(Reduce.PRODUCT, "b", Reduce.MIN, "b", Reduce.SUM, "a", Reduce.LAST, "c");
    for (Reduce r : Reduce.values()) {
      List<Scored> s = BestOfPairs.read(f, r, task);
      List<PreferencePair> ps = run(s, 1, 0, 0.0, new LinkedHashMap<>());
      assertEquals(top.get(r), ps.get(0).chosen(), r.key());
      assertEquals("bad", ps.get(0).rejected());
      assertEquals(s.get(0).rewards().get(List.of("a", "b", "c").indexOf(top.get(r))), ps.get(0).chosenReward());
    }
    // Without the rewards map, the reward is recomputed from step_probs, same order.
    rec.remove("rewards");
    Path g = write("probs.jsonl", List.of(rec.toString()));
    assertEquals(0.19, BestOfPairs.read(g, Reduce.PRODUCT, task).get(0).rewards().get(2), 1e-6);
    assertEquals("c", run(BestOfPairs.read(g, Reduce.LAST, task), 1, 0, null, new LinkedHashMap<>()).get(0).chosen());
  }

  @Test
  void missingCorrectIsJudgedByTheTask() throws Exception {
    ObjectNode rec = record("j", List.of("2+3=5\n#### 5", "#### 4"), null, List.of(List.of(.2), List.of(.9)));
    List<Scored> s = BestOfPairs.read(write("j.jsonl", List.of(rec.toString())), Reduce.LAST, task);
    assertEquals(List.of(true, false), s.get(0).correct());
  }

  @Test
  void missingOrBadFileIsAUserErrorWithLine() throws Exception {
    UserError missing = assertThrows(UserError.class,
        () -> BestOfPairs.read(dir.resolve("nope.jsonl"), Reduce.PRODUCT, task));
    assertTrue(missing.getMessage().contains("nope.jsonl"), missing.getMessage());
    String good = record("a", List.of("x"), List.of(true), List.of(List.of(.5))).toString();
    Path bad = write("bad.jsonl", List.of(good, "{not json"));
    UserError e = assertThrows(UserError.class, () -> BestOfPairs.read(bad, Reduce.PRODUCT, task));
    assertTrue(e.getMessage().contains("bad.jsonl:2"), e.getMessage());
    ObjectNode short1 = record("s", List.of("x", "y"), List.of(true), List.of(List.of(.5), List.of(.5)));
    Path len = write("len.jsonl", List.of(good, good, short1.toString()));
    UserError e2 = assertThrows(UserError.class, () -> BestOfPairs.read(len, Reduce.MIN, task));
    assertTrue(e2.getMessage().contains("len.jsonl:3"), e2.getMessage());
    ObjectNode noReward = record("n", List.of("x"), List.of(true), List.of(List.of(.5)));
    noReward.remove("rewards");
    noReward.remove("step_probs");
    Path nr = write("nr.jsonl", List.of(noReward.toString()));
    UserError e3 = assertThrows(UserError.class, () -> BestOfPairs.read(nr, Reduce.SUM, task));
    assertTrue(e3.getMessage().contains("nr.jsonl:1") && e3.getMessage().contains("sum"), e3.getMessage());
  }
}
