package dev.stepwise.search.mcts;

import dev.stepwise.search.SearchNode;

/**
 * Selection of MCTS*: descend from the root through expanded nodes, each time to the child with
 * the largest upper confidence bound
 *
 * <pre>UCT(c) = V(c) + C · sqrt(2 · ln N(parent) / N(c))     when N(c) &gt; 0
 * UCT(c) = V(c) + inf                               when N(c) = 0</pre>
 *
 * with V the quality value, N the visit count, C = {@code exploration_constant} and {@code inf}
 * the bonus of an unvisited child (the reference's {@code getBestChild}: unvisited children are
 * tried first, in the order of their values). Ties go to the earliest child (the reference draws
 * one at random; a fixed rule keeps runs reproducible).
 */
public final class Uct {
  private final double c;
  private final double inf;

  /**
   * @param explorationConstant C &ge; 0
   * @param inf the bonus of an unvisited child, &ge; 0
   */
  public Uct(double explorationConstant, double inf) {
    this.c = explorationConstant;
    this.inf = inf;
  }

  /** @return UCT of {@code child} under a parent visited {@code parentVisits} times */
  public double score(SearchNode child, int parentVisits) {
    if (child.visits() == 0) {
      return child.value() + inf;
    }
    return child.value() + c * Math.sqrt(2 * Math.log(Math.max(1, parentVisits)) / child.visits());
  }

  /** @return the child of {@code node} with the largest UCT (the earliest on ties); null when it has none */
  public SearchNode bestChild(SearchNode node) {
    SearchNode best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (SearchNode ch : node.children()) {
      double s = score(ch, node.visits());
      if (s > bestScore) {
        best = ch;
        bestScore = s;
      }
    }
    return best;
  }

  /**
   * Descends from {@code root} while the current node is expanded and has children.
   *
   * @return the selected node: an unexpanded node, a terminal node, or an expanded node without
   *     children (a dead end)
   */
  public SearchNode select(SearchNode root) {
    SearchNode n = root;
    while (n.expanded() && !n.children().isEmpty()) {
      n = bestChild(n);
    }
    return n;
  }
}
