package dev.stepwise.search;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.search.omega.OmegaConfig;
import dev.stepwise.search.omega.OmegaQuestion;
import dev.stepwise.search.omega.OmegaStats;
import dev.stepwise.search.value.PrmRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OmegaPRM state machine of one arith question, fed with hand-written completions by an oracle
 * that knows where the reasoning goes wrong (a completion continues right iff its prefix has no
 * "8-1"): the binary search locates the wrong step with the expected probes, and the rows carry
 * the Monte Carlo values.
 */
class OmegaQuestionTest {
  static final String RIGHT = "Tom has 3+5=8 apples.\n#### 8";
  static final String WRONG = "Tom has 3+5=8 apples.\nHe eats one, 8-1=7.\nSo he has 7 apples.\nThat is all.\n#### 7";

  static OmegaConfig cfg(int k, int limit) {
    return new OmegaConfig("x", null, null, null, k, limit, null, null, null, null, null, null, null, true, 0.85, null);
  }

  /** Completions of a context: all right when the prefix is still right, else all wrong. */
  static List<String> oracle(String context, int k) {
    String prefix = context.substring(context.indexOf("Answer:\n") + 8);
    if (prefix.contains("8-1")) {
      return Collections.nCopies(k, "#### 7");
    }
    if (prefix.isEmpty()) {
      List<String> mixed = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        mixed.add(i % 2 == 0 ? RIGHT : WRONG);
      }
      return mixed;
    }
    return Collections.nCopies(k, "#### 8");
  }

  @Test
  void locatesTheFirstErrorByBinarySearch() {
    OmegaQuestion q = new OmegaQuestion(HandTrees.PROBLEM, HandTrees.TASK, cfg(4, 40));
    List<String> contexts = new ArrayList<>();
    while (!q.done()) {
      String c = q.pendingContext();
      contexts.add(c);
      List<String> texts = oracle(c, 4);
      q.accept(texts, texts.stream().map(String::length).toList());
    }
    // root: MC 0.5; two wrong rollouts of 5 steps each (the error is step index 1).
    // search 1 on 5 steps: probe 2 (has 8-1: MC 0) -> probe 1 (MC 1) -> error at index 1, 2 probes.
    // search 2 (the other wrong rollout, same text): the same 2 decisions from the states already
    // in the tree, without new completions.
    // the probe states' rollouts: "#### 7" from a wrong state (MC 0: not candidates), "#### 8" right.
    OmegaStats s = q.stats();
    assertEquals(0.5, s.rootMc(), 1e-12);
    assertEquals(2, s.seedCorrect());
    assertEquals(2, s.searches());
    assertEquals(4, s.probes());
    assertEquals(10, s.searchedSteps());
    assertEquals(4 * (1 + 2), s.completions(), "root + 2 new states, k = 4 each");
    assertEquals(3, contexts.size());
    List<PrmRow> rows = q.rows();
    assertEquals(2, rows.size(), "one row per distinct probed state");
    PrmRow bad = rows.get(0);
    assertEquals("Tom has 3+5=8 apples.\n", bad.prefix());
    assertEquals("He eats one, 8-1=7.", bad.nextStep());
    assertEquals(0.0, bad.mcValue(), 1e-12);
    PrmRow good = rows.get(1);
    assertEquals("", good.prefix());
    assertEquals("Tom has 3+5=8 apples.", good.nextStep());
    assertEquals(1.0, good.mcValue(), 1e-12);
    // augmentation: prefixes of correct completions, deduplicated against the rows (same text
    // at the same step) and each other
    List<PrmRow> aug = q.augmentedRows();
    for (PrmRow a : aug) {
      assertEquals(1.0, a.mcValue(), 1e-12);
      for (PrmRow r : rows) {
        assertFalse(r.stepId() == a.stepId() && r.state().equals(a.state()), "duplicate of a row: " + a.state());
      }
    }
    assertTrue(aug.stream().anyMatch(a -> a.state().equals(RIGHT)), "the root's right completion, whole");
    assertEquals(aug.size(), aug.stream().map(PrmRow::state).distinct().count());
  }

  @Test
  void easyAndHardQuestionsEndAtTheRoot() {
    OmegaQuestion q = new OmegaQuestion(HandTrees.PROBLEM, HandTrees.TASK, cfg(3, 40));
    q.accept(List.of(RIGHT, RIGHT, RIGHT), List.of(1, 1, 1));
    assertTrue(q.done());
    assertEquals(0, q.rows().size());
    OmegaQuestion h = new OmegaQuestion(HandTrees.PROBLEM, HandTrees.TASK, cfg(3, 40));
    h.accept(List.of(WRONG, WRONG, "#### 2"), List.of(1, 1, 1));
    assertTrue(h.done());
    assertEquals(0.0, h.stats().rootMc());
  }

  @Test
  void theBudgetStopsNewSearches() {
    OmegaQuestion q = new OmegaQuestion(HandTrees.PROBLEM, HandTrees.TASK, cfg(4, 8));
    List<String> texts = oracle(q.pendingContext(), 4);
    q.accept(texts, texts.stream().map(String::length).toList());
    assertFalse(q.done(), "one search fits: 4 + 4 <= 8");
    while (!q.done()) {
      List<String> t = oracle(q.pendingContext(), 4);
      q.accept(t, t.stream().map(String::length).toList());
    }
    assertEquals(1, q.stats().searches(), "a started search finishes; no second one starts past the budget");
  }
}
