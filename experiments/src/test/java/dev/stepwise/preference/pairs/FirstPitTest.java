package dev.stepwise.preference.pairs;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The first-pit search on hand-made responses, with a scripted {@link Explorer} (the component
 * boundary: continuations are looked up by the prefix they continue), judged by the real arith
 * task. Covers a pit at step 1 (the outcome pair's chosen, no exploration of the bare question),
 * at a later step, no pit, a prefix too long to explore, the reference's rules against reuse
 * (an unused chosen or no pair; chosen and rejected new per problem), EOS after the chosen only,
 * the rolling batches, both rejected spans and Self-Explore's outcome pairs by edit distance.
 */
class FirstPitTest {
  static final String Q = "Question: 2 plus 3 plus 4?\nAnswer:\n";
  static final String GOOD = "2+3=5\n5+4=9\n#### 9";
  static final ArithTask TASK = new ArithTask(ArithConfig.DEFAULTS);

  /** Answers from a table keyed by the text after the question; records every call. */
  static final class Scripted implements Explorer {
    final Map<String, List<String>> table = new HashMap<>();
    final List<List<String>> calls = new ArrayList<>();
    final List<Long> seeds = new ArrayList<>();

    Scripted on(String prefix, String... conts) {
      table.put(prefix, List.of(conts));
      return this;
    }

    @Override
    public List<List<String>> explore(List<String> prompts, int k, long seed) {
      calls.add(List.copyOf(prompts));
      seeds.add(seed);
      List<List<String>> out = new ArrayList<>();
      for (String p : prompts) {
        assertTrue(p.startsWith(Q), p);
        String prefix = p.substring(Q.length());
        if (prefix.equals("TOO LONG\n")) {
          out.add(List.of());
          continue;
        }
        List<String> c = table.get(prefix);
        assertNotNull(c, "unexpected exploration of '" + prefix + "'");
        List<String> ks = new ArrayList<>();
        for (int i = 0; i < k; i++) {
          ks.add(c.get(i % c.size()));
        }
        out.add(ks);
      }
      return out;
    }
  }

  static FirstPit.Rejected rej(String response) {
    return rej(response, GOOD);
  }

  static FirstPit.Rejected rej(String response, String chosen) {
    return new FirstPit.Rejected("p", Q, "9", response, chosen);
  }

  /** A Self-Explore pair: EOS after the chosen only. */
  static PreferencePair gpair(String prompt, String chosen, String rejected) {
    return new PreferencePair("p", prompt, chosen, rejected, false, 1.0, 0.0, true);
  }

  static Map<String, Object> run(Scripted ex, int batch, FirstPit.Span span, List<FirstPit.Rejected> in, List<PreferencePair> out) {
    return new FirstPit(TASK, ex, new FirstPit.Settings(3, batch, 0, span, 7L)).run(in, out::add);
  }

  @Test
  void pitAtALaterStepPairsTheShortestCorrectContinuationWithEosAfterTheChosenOnly() {
    Scripted ex = new Scripted()
        .on("2+3=5\n", "5+4=8\n#### 8", "5 + 4 = 9\n#### 9", "5+4=9\n#### 9")
        .on("2+3=5\n5+5=10\n", "#### 10", "10-1=9 wrong\n#### 8");
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 4, FirstPit.Span.STEP, List.of(rej("2+3=5\n5+5=10\n#### 10")), out);
    assertEquals(List.of(gpair(Q + "2+3=5\n", "5+4=9\n#### 9", "5+5=10\n")), out);
    assertTrue(out.get(0).chosenEnds() && !out.get(0).full(), "EOS after the chosen, none after the rejected");
    assertEquals(1L, m.get("pairs/pit_step_2"));
    assertEquals(2L, m.get("pairs/explored_prefixes"), "exploring stops at the pit");
    out.clear();
    run(ex, 4, FirstPit.Span.REST, List.of(rej("2+3=5\n5+5=10\n#### 10")), out);
    assertEquals(List.of(gpair(Q + "2+3=5\n", "5+4=9\n#### 9", "5+5=10\n#### 10")), out,
        "span rest: the rejected runs to the end, still without EOS");
  }

  @Test
  void pitAtStepOneTakesTheOutcomePairsChosenWithoutExploringTheQuestion() {
    Scripted ex = new Scripted().on("2+4=6\n", "6+4=10\n#### 10");
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 4, FirstPit.Span.STEP, List.of(rej("2+4=6\n6+4=10\n#### 10")), out);
    assertEquals(List.of(gpair(Q, GOOD, "2+4=6\n")), out);
    assertEquals(1L, m.get("pairs/pit_step_1"));
    assertEquals(List.of(List.of(Q + "2+4=6\n")), ex.calls, "only the response's own prefix is explored");
    out.clear();
    run(ex, 4, FirstPit.Span.REST, List.of(rej("2+4=6\n6+4=10\n#### 10")), out);
    assertEquals(List.of(gpair(Q, GOOD, "2+4=6\n6+4=10\n#### 10")), out);
  }

  @Test
  void noPitWhenEveryPrefixReachesTheAnswerAndTooLongPrefixesStop() {
    Scripted ex = new Scripted()
        .on("2+3=5\n", "5+4=9\n#### 9")
        .on("2+3=5\n5+4=9\n", "#### 9")
        .on("2+3=5\n5+4=9\n#### 8", "\n#### 9");
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 4, FirstPit.Span.STEP,
        List.of(rej("2+3=5\n5+4=9\n#### 8"), rej("TOO LONG\nx\n#### 1"), rej("   \n")), out);
    assertTrue(out.isEmpty(), out.toString());
    assertEquals(1L, m.get("pairs/no_pit"));
    assertEquals(1L, m.get("pairs/too_long"));
    assertEquals(1L, m.get("pairs/no_steps"));
    assertEquals(3L, m.get("pairs/rejected_responses"));
    assertFalse(m.keySet().stream().anyMatch(k -> k.startsWith("pairs/pit_step_")), m.toString());
  }

  @Test
  void aChosenIsNeverReusedForAProblemAndAPitWithOnlyUsedContinuationsGivesNoPair() {
    // two responses pit at step 2 after the same prefix, with different pit steps
    List<FirstPit.Rejected> in = List.of(rej("2+3=5\n5+5=10\n#### 10"), rej("2+3=5\n5+6=11\n#### 11"));
    Scripted one = new Scripted()
        .on("2+3=5\n", "5+4=9\n#### 9")
        .on("2+3=5\n5+5=10\n", "#### 10")
        .on("2+3=5\n5+6=11\n", "#### 11");
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(one, 4, FirstPit.Span.STEP, in, out);
    assertEquals(List.of(gpair(Q + "2+3=5\n", "5+4=9\n#### 9", "5+5=10\n")), out,
        "the only correct continuation was chosen for the first pit: the second gets no pair");
    assertEquals(1L, m.get("pairs/chosen_used_up"));
    assertEquals(2L, m.get("pairs/pit_step_2"));

    Scripted two = new Scripted()
        .on("2+3=5\n", "5+4=9\n#### 9", "5 + 4 = 9\n#### 9")
        .on("2+3=5\n5+5=10\n", "#### 10")
        .on("2+3=5\n5+6=11\n", "#### 11");
    out.clear();
    m = run(two, 4, FirstPit.Span.STEP, in, out);
    assertEquals(List.of("5+4=9\n#### 9", "5 + 4 = 9\n#### 9"), out.stream().map(PreferencePair::chosen).toList(),
        "shortest first, then the shortest not chosen yet");
    assertNotSame(out.get(0), out.get(1));
    assertEquals(0L, m.get("pairs/chosen_used_up"));
  }

  @Test
  void aPairIsKeptOnlyWhenItsChosenAndItsRejectedAreBothNewForTheProblem() {
    // three outcome pairs of one problem whose rejected responses pit at the same first step
    String other = "3+4=7\n7+2=9\n#### 9";
    Scripted ex = new Scripted().on("2+4=6\n", "#### 10");
    List<FirstPit.Rejected> in = List.of(rej("2+4=6\n6+4=10\n#### 10", GOOD), rej("2+4=6\n6+5=11\n#### 11", other),
        rej("2+4=6\n#### 6", GOOD));
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 4, FirstPit.Span.STEP, in, out);
    assertEquals(List.of(gpair(Q, GOOD, "2+4=6\n")), out, "the second repeats the rejected, the third both sides");
    assertEquals(2L, m.get("pairs/duplicates"));
    out.clear();
    m = run(ex, 4, FirstPit.Span.REST, in, out);
    assertEquals(List.of(gpair(Q, GOOD, "2+4=6\n6+4=10\n#### 10"), gpair(Q, other, "2+4=6\n6+5=11\n#### 11")), out,
        "span rest: new rejected texts; the third repeats the first's chosen");
    assertEquals(1L, m.get("pairs/duplicates"));
  }

  @Test
  void rollingBatchesKeepEveryCallWithinTheBatchSizeAndTheOutputInInputOrder() {
    Scripted ex = new Scripted()
        .on("2+3=5\n", "5+4=9\n#### 9")
        .on("2+3=5\n5+5=10\n", "#### 10")
        .on("2+4=6\n", "#### 10")
        .on("2+3=5\n5+4=9\n", "#### 9")
        .on("2+3=5\n5+4=9\n#### 8", "\n#### 9");
    List<FirstPit.Rejected> in = List.of(rej("2+3=5\n5+5=10\n#### 10"), rej("2+4=6\n6+4=10\n#### 10"), rej("2+3=5\n5+4=9\n#### 8"));
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 2, FirstPit.Span.STEP, in, out);
    assertTrue(ex.calls.stream().allMatch(c -> c.size() <= 2), ex.calls.toString());
    assertEquals(6L, m.get("pairs/explored_prefixes"), "2 (pit at 2) + 1 (pit at 1) + 3 (no pit)");
    assertEquals((long) ex.calls.size(), m.get("pairs/explorer_calls"));
    assertEquals(ex.calls.size(), ex.seeds.stream().distinct().count(), "each call its own seed");
    assertEquals(7L, ex.seeds.get(0));
    assertEquals(List.of(Q + "2+3=5\n", Q), out.stream().map(PreferencePair::prompt).toList());
  }

  @Test
  void outcomePairsTakeEachCorrectResponseWithTheFarthestUnusedIncorrectOne() {
    // distances to "#### 9": "#### 8" 1, "#### 17" 2, "1+1=2\n#### 2" 7
    SampleRecord a = new SampleRecord("a", Q, "9", List.of("#### 9", "#### 8", "#### 17", " #### 9 ", "1+1=2\n#### 2",
        "#### 8", "4+5=9\n#### 9"), List.of());
    SampleRecord wrong = new SampleRecord("b", Q, "9", List.of("#### 1", "#### 2"), List.of());
    SampleRecord one = new SampleRecord("c", Q, "9", List.of("#### 9", "#### 3", "#### 9", "4+5=9\n#### 9", "5+4=9\n#### 9"),
        List.of());
    Map<String, Long> counts = new java.util.LinkedHashMap<>();
    List<FirstPit.Rejected> r = FirstPitPairs.rejected(List.of(a, wrong, one), TASK, 0, counts);
    assertEquals(List.of("a:#### 9>1+1=2\n#### 2", "a:4+5=9\n#### 9>#### 17", "c:#### 9>#### 3"),
        r.stream().map(x -> x.id() + ":" + x.chosen() + ">" + x.response()).toList(),
        "one pair per distinct (trimmed) correct response while the pool lasts; none for an all-wrong problem");
    assertEquals(Map.of("problems", 3L, "problems_all_wrong", 1L, "incorrect_unpaired", 3L), counts);
    assertEquals(2, FirstPitPairs.rejected(List.of(a, wrong, one), TASK, 2, new HashMap<>()).size());
    assertThrows(UserError.class, () -> new FirstPit.Settings(0, 1, 0, FirstPit.Span.STEP, 1));
    assertThrows(UserError.class, () -> FirstPit.Span.parse("steps"));
  }
}
