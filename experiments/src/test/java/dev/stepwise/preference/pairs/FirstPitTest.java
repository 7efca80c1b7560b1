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
 * task. Covers a pit at step 1, at a later step, no pit, a prefix too long to explore, the
 * deduplication of identical pairs, the rolling batches and both rejected spans.
 */
class FirstPitTest {
  static final String Q = "Question: 2 plus 3 plus 4?\nAnswer:\n";
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

  static FirstPit.Rejected rej(String response, String... sampledCorrect) {
    return new FirstPit.Rejected("p", Q, "9", response, List.of(sampledCorrect));
  }

  static Map<String, Object> run(Scripted ex, int batch, FirstPit.Span span, List<FirstPit.Rejected> in, List<PreferencePair> out) {
    return new FirstPit(TASK, ex, new FirstPit.Settings(3, batch, 0, span, 7L)).run(in, out::add);
  }

  @Test
  void pitAtALaterStepPairsTheCorrectContinuationOfThePrefixBeforeIt() {
    Scripted ex = new Scripted()
        .on("2+3=5\n", "5+4=8\n#### 8", "5+4=9\n#### 9")
        .on("2+3=5\n5+5=10\n", "#### 10", "10-1=9 wrong\n#### 8");
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 4, FirstPit.Span.STEP, List.of(rej("2+3=5\n5+5=10\n#### 10")), out);
    assertEquals(List.of(new PreferencePair("p", Q + "2+3=5\n", "5+4=9\n#### 9", "5+5=10\n", false, 1.0, 0.0)), out);
    assertEquals(1L, m.get("pairs/pit_step_2"));
    assertEquals(2L, m.get("pairs/explored_prefixes"), "exploring stops at the pit");
    out.clear();
    run(ex, 4, FirstPit.Span.REST, List.of(rej("2+3=5\n5+5=10\n#### 10")), out);
    assertEquals(List.of(new PreferencePair("p", Q + "2+3=5\n", "5+4=9\n#### 9", "5+5=10\n#### 10", true, 1.0, 0.0)), out,
        "span rest: both sides end the response");
  }

  @Test
  void pitAtStepOneExploresTheBareQuestionForTheChosen() {
    Scripted ex = new Scripted()
        .on("2+4=6\n", "6+4=10\n#### 10")
        // the shortest correct one starts with the pit step itself: not a contrast, dropped
        .on("", "2+4=6\n#### 9", "2+3=5\n5+4=9\n#### 9", "#### 7");
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 4, FirstPit.Span.STEP, List.of(rej("2+4=6\n6+4=10\n#### 10")), out);
    assertEquals(List.of(new PreferencePair("p", Q, "2+3=5\n5+4=9\n#### 9", "2+4=6\n", false, 1.0, 0.0)), out);
    assertEquals(1L, m.get("pairs/pit_step_1"));
    assertEquals(List.of(List.of(Q + "2+4=6\n"), List.of(Q)), ex.calls);
    assertEquals(0L, m.get("pairs/pit1_chosen_from_samples"));
  }

  @Test
  void pitAtStepOneFallsBackToASampledCorrectResponseAndRestSpanKeepsTheTail() {
    Scripted ex = new Scripted().on("2+4=6\n", "#### 10").on("", "#### 7");
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 4, FirstPit.Span.REST,
        List.of(rej("2+4=6\n6+4=10\n#### 10", "2+3=5\n5+4=9\n#### 9")), out);
    assertEquals(List.of(new PreferencePair("p", Q, "2+3=5\n5+4=9\n#### 9", "2+4=6\n6+4=10\n#### 10", true, 1.0, 0.0)), out);
    assertEquals(1L, m.get("pairs/pit1_chosen_from_samples"));
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
  void identicalPairsAreWrittenOnceAndAnotherCorrectContinuationIsPreferred() {
    Scripted one = new Scripted()
        .on("2+3=5\n", "5+4=9\n#### 9")
        .on("2+3=5\n5+5=10\n", "#### 10");
    List<FirstPit.Rejected> in = List.of(rej("2+3=5\n5+5=10\n#### 10"), rej("2+3=5\n5+5=10\n#### 11"));
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(one, 4, FirstPit.Span.STEP, in, out);
    assertEquals(1, out.size(), "same prompt, chosen and pit step: one pair");
    assertEquals(1L, m.get("pairs/duplicates"));
    assertEquals(2L, m.get("pairs/pit_step_2"));

    Scripted two = new Scripted()
        .on("2+3=5\n", "5+4=9\n#### 9", "5 + 4 = 9\n#### 9")
        .on("2+3=5\n5+5=10\n", "#### 10");
    out.clear();
    m = run(two, 4, FirstPit.Span.STEP, in, out);
    assertEquals(2, out.size());
    assertEquals("5+4=9\n#### 9", out.get(0).chosen(), "shortest first");
    assertEquals("5 + 4 = 9\n#### 9", out.get(1).chosen(), "then one not chosen yet for the problem");
    assertNotSame(out.get(0), out.get(1));
    assertEquals(0L, m.get("pairs/duplicates"));
  }

  @Test
  void rollingBatchesKeepEveryCallWithinTheBatchSizeAndTheOutputInInputOrder() {
    Scripted ex = new Scripted()
        .on("2+3=5\n", "5+4=9\n#### 9")
        .on("2+3=5\n5+5=10\n", "#### 10")
        .on("2+4=6\n", "#### 10")
        .on("", "1+8=9\n#### 9")
        .on("2+3=5\n5+4=9\n", "#### 9")
        .on("2+3=5\n5+4=9\n#### 8", "\n#### 9");
    List<FirstPit.Rejected> in = List.of(rej("2+3=5\n5+5=10\n#### 10"), rej("2+4=6\n6+4=10\n#### 10"), rej("2+3=5\n5+4=9\n#### 8"));
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = run(ex, 2, FirstPit.Span.STEP, in, out);
    assertTrue(ex.calls.stream().allMatch(c -> c.size() <= 2), ex.calls.toString());
    assertEquals(7L, m.get("pairs/explored_prefixes"), "2 (pit at 2) + 2 (pit at 1, then the question) + 3 (no pit)");
    assertEquals((long) ex.calls.size(), m.get("pairs/explorer_calls"));
    assertEquals(ex.calls.size(), ex.seeds.stream().distinct().count(), "each call its own seed");
    assertEquals(7L, ex.seeds.get(0));
    assertEquals(List.of(Q + "2+3=5\n", Q), out.stream().map(PreferencePair::prompt).toList());
    assertEquals(List.of(false, false), out.stream().map(PreferencePair::isFull).toList(), "span step: the rejected is partial");
  }

  @Test
  void incorrectResponsesAreDistinctAndLimited() {
    SampleRecord a = new SampleRecord("a", Q, "9", List.of("#### 9", "#### 8", "#### 8", "#### 7"), List.of());
    SampleRecord b = new SampleRecord("b", Q, "9", List.of("#### 1"), List.of());
    List<FirstPit.Rejected> r = FirstPitPairs.rejected(List.of(a, b), TASK, 0);
    assertEquals(List.of("#### 8", "#### 7", "#### 1"), r.stream().map(FirstPit.Rejected::response).toList());
    assertEquals(List.of("#### 9"), r.get(0).sampledCorrect());
    assertEquals(2, FirstPitPairs.rejected(List.of(a, b), TASK, 2).size());
    assertThrows(UserError.class, () -> new FirstPit.Settings(0, 1, 0, FirstPit.Span.STEP, 1));
    assertThrows(UserError.class, () -> FirstPit.Span.parse("steps"));
  }
}
