package dev.stepwise.search.mcts;

import dev.stepwise.search.Expander;
import dev.stepwise.search.SearchNode;
import dev.stepwise.search.SearchTree;
import java.util.ArrayList;
import java.util.List;

/**
 * MCTS* over many problems in lockstep (ReST-MCTS*, arXiv 2406.03816, section 3.1).
 *
 * <p>One iteration, for every problem still searching: <b>selection</b> ({@link Uct#select}) of a
 * node; if it is terminal and its value V reaches {@code end_gate}, the problem's search ends
 * with it (the reference's early stop); a terminal or dead-end node below the gate is only
 * backpropagated (its visit count grows, so UCT turns elsewhere); otherwise it is <b>expanded</b>
 * by {@code branch} proposed steps, and every new child is <b>evaluated</b> by the value model (V
 * = its score; no rollout); then <b>backpropagation</b> ({@link Backpropagation}). All expansions
 * of an iteration go to the proposer and to the value model together ({@link Expander}).
 *
 * <p>The search of all problems ends after {@code iteration_limit} iterations or {@code
 * time_limit} seconds. A problem's answer is the node that hit the gate, else the terminal node
 * with the largest value (earliest on ties), else (no terminal node) the non-root node with the
 * largest value, an unfinished solution ({@link #answer}).
 */
public final class MctsStar {
  private final Expander expander;
  private final MctsConfig cfg;
  private final Uct uct;

  /** @param expander the batched proposer + value model */
  public MctsStar(Expander expander, MctsConfig cfg) {
    this.expander = expander;
    this.cfg = cfg;
    this.uct = new Uct(cfg.explorationConstant(), cfg.inf());
  }

  /**
   * @param trees fresh trees (root only), one per problem
   * @return per tree, the chosen node
   */
  public List<SearchNode> run(List<SearchTree> trees) {
    long deadline = cfg.timeLimit() > 0 ? System.nanoTime() + (long) (cfg.timeLimit() * 1e9) : Long.MAX_VALUE;
    SearchNode[] found = new SearchNode[trees.size()];
    for (int it = 0; it < cfg.iterationLimit() && System.nanoTime() < deadline; it++) {
      List<Expander.Target> targets = new ArrayList<>();
      boolean searching = false;
      for (int i = 0; i < trees.size(); i++) {
        if (found[i] != null) {
          continue;
        }
        searching = true;
        SearchNode leaf = uct.select(trees.get(i).root());
        if (leaf.terminal() && leaf.value() >= cfg.endGate()) {
          found[i] = leaf;
        } else if (leaf.terminal() || leaf.expanded()) {
          Backpropagation.update(leaf);
        } else {
          targets.add(new Expander.Target(trees.get(i), leaf));
        }
      }
      if (!searching) {
        break;
      }
      expander.expand(targets, cfg.branch());
      for (Expander.Target t : targets) {
        Backpropagation.update(t.node());
      }
    }
    List<SearchNode> out = new ArrayList<>(trees.size());
    for (int i = 0; i < trees.size(); i++) {
      out.add(found[i] != null ? found[i] : answer(trees.get(i)));
    }
    return out;
  }

  /**
   * @return the terminal node with the largest value (earliest on ties); without one, the
   *     non-root node with the largest value; the root for an empty tree
   */
  public static SearchNode answer(SearchTree tree) {
    SearchNode bestTerminal = null;
    SearchNode bestAny = null;
    for (SearchNode n : tree.nodes()) {
      if (n.parent() == null) {
        continue;
      }
      if (n.terminal() && (bestTerminal == null || n.value() > bestTerminal.value())) {
        bestTerminal = n;
      }
      if (bestAny == null || n.value() > bestAny.value()) {
        bestAny = n;
      }
    }
    return bestTerminal != null ? bestTerminal : bestAny != null ? bestAny : tree.root();
  }
}
