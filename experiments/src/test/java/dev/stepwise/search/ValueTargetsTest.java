package dev.stepwise.search;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.search.value.PrmRow;
import dev.stepwise.search.value.TreeExports;
import dev.stepwise.search.value.ValueTargets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReST-MCTS* value targets (Eq. 1 and 2) on a hand-built arith tree, worked out by hand. */
class ValueTargetsTest {
  @Test
  void eachStepFollowsTheQualityValueUpdate() {
    assertEquals(0.5, ValueTargets.next(0, 1, 0), 1e-12, "(1 - 0) / 2 * 1");
    assertEquals(1.0, ValueTargets.next(0.5, 0, 0), 1e-12);
    assertEquals(0.0, ValueTargets.next(0.5, 0, 1), 1e-12, "0.5 - 0.5");
    assertEquals(0.25, ValueTargets.next(0.5, 1, 1), 1e-12, "0.5 - 0.5 / 2");
    assertEquals(0.0, ValueTargets.next(0.2, 0, 1), 1e-12, "0.2 - 0.8 < 0 clips at 0");
  }

  @Test
  void inferredFromTheTreeAndOracleAnswer() {
    SearchTree t = HandTrees.tree();
    SearchNode root = t.root();
    SearchNode a = HandTrees.add(t, root, "Tom has 3 and buys 5, so 3+5=8.", 0.7);
    SearchNode aOk = HandTrees.add(t, a, "#### 8", 0.9);
    SearchNode aBad = HandTrees.add(t, a, "#### 9", 0.4);
    SearchNode b = HandTrees.add(t, root, "Tom has 3 and buys 5, so 3+5=9.", 0.5);
    SearchNode bx = HandTrees.add(t, b, "So he has 9.", 0.3);
    SearchNode bxEnd = HandTrees.add(t, bx, "#### 9", 0.2);
    SearchNode c = HandTrees.add(t, root, "He has some apples.", 0.5);
    SearchNode unfinished = HandTrees.add(t, c, "Then more.", 0.5);
    assertTrue(aOk.terminal() && aOk.correct());
    assertFalse(aBad.correct());
    double[] v = ValueTargets.infer(t);
    // a: correct subtree, m = 1 (one step to "#### 8"): v = (1 - 0) / 2 = 0.5
    assertEquals(0.5, v[a.index()], 1e-12);
    // aOk: m = 0: v = 0.5 + 0.5 = 1
    assertEquals(1.0, v[aOk.index()], 1e-12);
    // aBad: wrong terminal, m = 0: v = max(0.5 - 0.5, 0) = 0
    assertEquals(0.0, v[aBad.index()], 1e-12);
    // b: no correct terminal below; nearest terminal 2 steps away: v = max(0 - 1/3, 0) = 0
    assertEquals(0.0, v[b.index()], 1e-12);
    assertEquals(0.0, v[bx.index()], 1e-12);
    assertEquals(0.0, v[bxEnd.index()], 1e-12);
    // c and below: no judged terminal node: no target
    assertTrue(Double.isNaN(v[c.index()]));
    assertTrue(Double.isNaN(v[unfinished.index()]));
    assertEquals(0.0, v[0], "v_0");

    List<PrmRow> rows = TreeExports.prmRows(t, v);
    // three judged terminal paths: 2 + 2 + 3 rows
    assertEquals(7, rows.size());
    PrmRow last = rows.stream().filter(r -> r.respId() == aOk.index() && r.stepId() == 1).findFirst().orElseThrow();
    assertEquals("Tom has 3 and buys 5, so 3+5=8.\n#### 8", last.state());
    assertEquals("#### 8", last.nextStep());
    assertEquals("full", last.type());
    assertEquals(1.0, last.mcValue(), 1e-12);
    var pos = TreeExports.positives(t);
    assertEquals(List.of("Tom has 3 and buys 5, so 3+5=8.\n#### 8"), pos.response());
    var pairs = TreeExports.pairs(t, v);
    assertEquals(1, pairs.size(), "one correct solution: one pair");
    assertEquals(aOk.text(), pairs.get(0).chosen());
    assertEquals(aBad.text(), pairs.get(0).rejected(), "the better-valued wrong solution (0.4 > 0.2)");
  }

  @Test
  void aCorrectTraceClimbsLinearly() {
    SearchTree t = HandTrees.tree();
    SearchNode n = t.root();
    String[] steps = {"Tom has 3 apples.", "He buys 5 more, so 3+5=8.", "He has 8.", "#### 8"};
    for (String s : steps) {
      n = HandTrees.add(t, n, s, 0.5);
    }
    double[] v = ValueTargets.infer(t);
    for (int k = 1; k <= 4; k++) {
      assertEquals(k / 4.0, v[k], 1e-12, "v_k = k / K on a correct trace of K = 4 steps");
    }
  }
}
