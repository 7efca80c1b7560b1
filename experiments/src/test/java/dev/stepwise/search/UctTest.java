package dev.stepwise.search;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.search.mcts.Uct;
import org.junit.jupiter.api.Test;

/** UCT selection of MCTS* on hand-built trees, against the formula worked by hand. */
class UctTest {
  @Test
  void scoresFollowTheFormula() {
    SearchTree t = HandTrees.tree();
    SearchNode a = HandTrees.add(t, t.root(), "a", 0.5);
    a.setVisits(2);
    Uct uct = new Uct(0.4, 0.8);
    // 0.5 + 0.4 * sqrt(2 ln 8 / 2) = 0.5 + 0.4 * sqrt(ln 8) = 0.5 + 0.4 * 1.44202
    assertEquals(0.5 + 0.4 * Math.sqrt(Math.log(8)), uct.score(a, 8), 1e-12);
    SearchNode b = HandTrees.add(t, t.root(), "b", 0.1);
    assertEquals(0.9, uct.score(b, 8), 1e-12, "unvisited: V + inf");
  }

  @Test
  void picksUnvisitedFirstThenTheLargestBound() {
    SearchTree t = HandTrees.tree();
    SearchNode root = t.root();
    root.markExpanded();
    root.setVisits(10);
    SearchNode a = HandTrees.add(t, root, "a", 0.6);
    SearchNode b = HandTrees.add(t, root, "b", 0.3);
    SearchNode c = HandTrees.add(t, root, "c", 0.2);
    a.setVisits(6);
    b.setVisits(1);
    c.setVisits(3);
    Uct uct = new Uct(0.4, 0.8);
    // a: 0.6 + 0.4 sqrt(2 ln10 / 6) = 0.6 + 0.4 * 0.87612 = 0.95045
    // b: 0.3 + 0.4 sqrt(2 ln10 / 1) = 0.3 + 0.4 * 2.14597 = 1.15839
    // c: 0.2 + 0.4 sqrt(2 ln10 / 3) = 0.2 + 0.4 * 1.23898 = 0.69559
    assertSame(b, uct.bestChild(root));
    SearchNode d = HandTrees.add(t, root, "d", 0.1);
    assertSame(b, uct.bestChild(root), "unvisited d: 0.1 + 0.8 = 0.9 < b's 1.158");
    d.evaluate(0.5);
    assertSame(d, uct.bestChild(root), "unvisited d: 0.5 + 0.8 = 1.3 > b's 1.158");
    assertSame(a, new Uct(0.0, 0.0).bestChild(root), "C = inf = 0: the largest value");
  }

  @Test
  void selectionDescendsThroughExpandedNodesOnly() {
    SearchTree t = HandTrees.tree();
    SearchNode root = t.root();
    root.markExpanded();
    root.setVisits(3);
    SearchNode a = HandTrees.add(t, root, "a", 0.9);
    SearchNode b = HandTrees.add(t, root, "b", 0.1);
    a.setVisits(2);
    b.setVisits(1);
    a.markExpanded();
    SearchNode a1 = HandTrees.add(t, a, "a1", 0.4);
    SearchNode a2 = HandTrees.add(t, a, "a2", 0.7);
    Uct uct = new Uct(0.0, 0.8);
    // C = 0: pure exploitation; root -> a (0.9 > 0.1); a's children are unvisited: a2 (1.5) > a1 (1.2)
    assertSame(a2, uct.select(root));
    a2.setVisits(1);
    a1.setVisits(1);
    assertSame(a2, uct.select(root), "a2 is unexpanded: selection stops there");
    b.setValue(0.95);
    assertSame(b, uct.select(root), "b is now the best child of the root and unexpanded");
  }
}
