package dev.stepwise.search;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.search.mcts.Backpropagation;
import org.junit.jupiter.api.Test;

/** MCTS* backpropagation on a hand-built tree: visit counts and visit-weighted mean values. */
class BackpropagationTest {
  @Test
  void countsVisitsAndAveragesChildValuesByVisits() {
    SearchTree t = HandTrees.tree();
    SearchNode root = t.root();
    root.markExpanded();
    SearchNode a = HandTrees.add(t, root, "a", 0.6);
    SearchNode b = HandTrees.add(t, root, "b", 0.2);
    // iteration 1 expands a: its children are unvisited, so a keeps its own value
    a.markExpanded();
    SearchNode a1 = HandTrees.add(t, a, "a1", 0.9);
    SearchNode a2 = HandTrees.add(t, a, "a2", 0.3);
    Backpropagation.update(a);
    assertEquals(1, a.visits());
    assertEquals(0.6, a.value(), 1e-12, "no visited child: the value model's value stays");
    assertEquals(1, root.visits());
    assertEquals(0.6, root.value(), 1e-12, "root = a's value (the only visited child)");
    // iteration 2 expands a1
    a1.markExpanded();
    SearchNode a11 = HandTrees.add(t, a1, "a11", 0.5);
    Backpropagation.update(a1);
    assertEquals(1, a1.visits());
    assertEquals(0.9, a1.value(), 1e-12);
    assertEquals(2, a.visits());
    assertEquals(0.9, a.value(), 1e-12, "a = (1 * 0.9) / 1; a2 unvisited");
    assertEquals(2, root.visits());
    assertEquals(0.9, root.value(), 1e-12, "root = (2 * 0.9) / 2; b unvisited");
    // iteration 3 expands b (dead end: no children kept)
    b.markExpanded();
    Backpropagation.update(b);
    assertEquals(0.2, b.value(), 1e-12);
    assertEquals(3, root.visits());
    assertEquals((2 * 0.9 + 1 * 0.2) / 3, root.value(), 1e-12);
    // iteration 4 expands a2
    a2.markExpanded();
    HandTrees.add(t, a2, "a21", 0.1);
    Backpropagation.update(a2);
    assertEquals(0.3, a2.value(), 1e-12);
    assertEquals(3, a.visits());
    assertEquals((1 * 0.9 + 1 * 0.3) / 2, a.value(), 1e-12);
    assertEquals(4, root.visits());
    assertEquals((3 * 0.6 + 1 * 0.2) / 4, root.value(), 1e-12);
    assertEquals(0, a11.visits(), "nodes below the updated one are untouched");
  }
}
