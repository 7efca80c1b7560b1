package dev.stepwise.search.mcts;

import dev.stepwise.search.SearchNode;

/**
 * Backpropagation of MCTS* (the reference's {@code back_propagate}): from the expanded node up to
 * the root, each node's visit count grows by one, and an expanded node whose children have been
 * visited takes the visit-weighted mean of their values,
 *
 * <pre>V(s) = Σ_c N(c) · V(c) / Σ_c N(c)</pre>
 *
 * (a node whose children are all unvisited keeps the value the value model gave it).
 */
public final class Backpropagation {
  private Backpropagation() {}

  /** Updates {@code from} and its ancestors. */
  public static void update(SearchNode from) {
    for (SearchNode n = from; n != null; n = n.parent()) {
      n.setVisits(n.visits() + 1);
      if (n.expanded()) {
        double sum = 0;
        int visits = 0;
        for (SearchNode c : n.children()) {
          sum += c.visits() * c.value();
          visits += c.visits();
        }
        if (visits > 0) {
          n.setValue(sum / visits);
        }
      }
    }
  }
}
