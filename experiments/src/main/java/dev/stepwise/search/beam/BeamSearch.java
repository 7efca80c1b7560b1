package dev.stepwise.search.beam;

import dev.stepwise.reward.predict.Reduce;
import dev.stepwise.search.Expander;
import dev.stepwise.search.SearchNode;
import dev.stepwise.search.SearchTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * PRM-guided step beam search over many problems at once.
 *
 * <p>Each problem starts with the beam {root}. A round expands every non-terminal beam node of
 * every problem by {@code num_proposed_steps} proposals in one {@link Expander} call (one sampler
 * call, one PRM call); then, per problem, the candidates are the new children plus the terminal
 * nodes already in the beam, ranked by the aggregation of their path's step scores ({@code
 * min}, {@code last} or {@code product} of p_1..p_k, {@link Reduce}), and the best {@code
 * beam_width} form the next beam (ties to the earlier node). The search of a problem ends when
 * its beam is all terminal or after {@code max_steps} rounds (nodes at depth {@code max_steps}
 * are terminal, {@link SearchTree}).
 *
 * <p>The answer is the terminal node with the best path score among all terminal nodes that were
 * ever in a beam; when no beam reached one, the best node of the last beam (an unfinished
 * solution, judged wrong).
 */
public final class BeamSearch {
  private final Expander expander;
  private final BeamConfig cfg;

  /** @param expander the batched proposer + PRM */
  public BeamSearch(Expander expander, BeamConfig cfg) {
    this.expander = expander;
    this.cfg = cfg;
  }

  /**
   * Runs the search on every tree to the end.
   *
   * @param trees fresh trees (root only), one per problem
   * @return per tree (same order), the chosen node
   */
  public List<SearchNode> run(List<SearchTree> trees) {
    Reduce agg = cfg.reduce();
    Comparator<SearchNode> order = Comparator.comparingDouble((SearchNode n) -> -score(n, agg)).thenComparingInt(SearchNode::index);
    List<List<SearchNode>> beams = new ArrayList<>();
    List<SearchNode> lastBest = new ArrayList<>();
    List<SearchNode> bestTerminal = new ArrayList<>();
    for (SearchTree t : trees) {
      beams.add(List.of(t.root()));
      lastBest.add(t.root());
      bestTerminal.add(null);
    }
    while (true) {
      List<Expander.Target> targets = new ArrayList<>();
      List<Integer> owner = new ArrayList<>();
      for (int i = 0; i < trees.size(); i++) {
        for (SearchNode n : beams.get(i)) {
          if (!n.terminal()) {
            targets.add(new Expander.Target(trees.get(i), n));
            owner.add(i);
          }
        }
      }
      if (targets.isEmpty()) {
        break;
      }
      List<List<SearchNode>> kids = expander.expand(targets, cfg.numProposedSteps());
      List<List<SearchNode>> pools = new ArrayList<>();
      for (List<SearchNode> beam : beams) {
        pools.add(new ArrayList<>(beam.stream().filter(SearchNode::terminal).toList()));
      }
      for (int j = 0; j < targets.size(); j++) {
        pools.get(owner.get(j)).addAll(kids.get(j));
      }
      for (int i = 0; i < trees.size(); i++) {
        List<SearchNode> pool = pools.get(i);
        pool.sort(order);
        List<SearchNode> next = List.copyOf(pool.subList(0, Math.min(cfg.beamWidth(), pool.size())));
        beams.set(i, next);
        if (!next.isEmpty()) {
          lastBest.set(i, next.get(0));
        }
        for (SearchNode n : next) {
          SearchNode b = bestTerminal.get(i);
          if (n.terminal() && (b == null || order.compare(n, b) < 0)) {
            bestTerminal.set(i, n);
          }
        }
      }
    }
    List<SearchNode> out = new ArrayList<>(trees.size());
    for (int i = 0; i < trees.size(); i++) {
      out.add(bestTerminal.get(i) != null ? bestTerminal.get(i) : lastBest.get(i));
    }
    return out;
  }

  /** @return the aggregation of {@code n}'s path step scores (0 for the root) */
  public static double score(SearchNode n, Reduce agg) {
    return agg.apply(n.pathScores());
  }
}
