package dev.stepwise.search;

import dev.stepwise.task.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * The batched step of every search: expand many nodes of many trees at once. One {@link
 * StepProposer#propose} call carries every node's context (so the sampler decodes all frontier
 * expansions of all problems in flight together), then one {@link StepValuer#score} call
 * evaluates every new child. Counts the proposed steps and generated tokens.
 */
public final class Expander {
  /** A node to expand and the tree it belongs to. */
  public record Target(SearchTree tree, SearchNode node) {}

  private final StepProposer proposer;
  private final StepValuer valuer;
  private long round;
  private long proposed;
  private long tokens;
  private long proposeNanos;
  private long scoreNanos;

  /**
   * @param proposer the policy
   * @param valuer the value model / PRM
   * @param firstRound the round number of the first {@link StepProposer#propose} call (each call
   *     adds one), so that separate expanders draw separate random streams
   */
  public Expander(StepProposer proposer, StepValuer valuer, long firstRound) {
    this.proposer = proposer;
    this.valuer = valuer;
    this.round = firstRound;
  }

  /**
   * Proposes {@code n} steps below every target, adds the distinct ones ({@link SearchTree#add}),
   * evaluates the new children ({@link SearchNode#evaluate}) and marks the targets expanded.
   *
   * @param targets non-terminal nodes
   * @param n proposals per node, &ge; 1
   * @return per target (same order), its new children (possibly none)
   */
  public List<List<SearchNode>> expand(List<Target> targets, int n) {
    List<List<SearchNode>> out = new ArrayList<>(targets.size());
    if (targets.isEmpty()) {
      return out;
    }
    List<String> contexts = new ArrayList<>(targets.size());
    for (Target t : targets) {
      contexts.add(t.node().context(t.tree().prompt()));
    }
    long t0 = System.nanoTime();
    List<List<ProposedStep>> props = proposer.propose(contexts, n, round++);
    proposeNanos += System.nanoTime() - t0;
    List<SearchNode> fresh = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<List<String>> paths = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      t.node().markExpanded();
      List<SearchNode> kids = new ArrayList<>();
      for (ProposedStep p : props.get(i)) {
        proposed++;
        tokens += p.tokens();
        t.tree().charge(p);
        SearchNode c = t.tree().add(t.node(), p);
        if (c != null) {
          kids.add(c);
          fresh.add(c);
          problems.add(t.tree().problem());
          paths.add(c.steps());
        }
      }
      out.add(kids);
    }
    List<Integer> scored = new ArrayList<>();
    List<Problem> sp = new ArrayList<>();
    List<List<String>> spaths = new ArrayList<>();
    for (int i = 0; i < fresh.size(); i++) {
      if (!paths.get(i).isEmpty() && !String.join("", paths.get(i)).isBlank()) {
        scored.add(i);
        sp.add(problems.get(i));
        spaths.add(paths.get(i));
      } else {
        fresh.get(i).evaluate(0);
      }
    }
    if (!spaths.isEmpty()) {
      long t1 = System.nanoTime();
      double[] v = valuer.score(sp, spaths);
      scoreNanos += System.nanoTime() - t1;
      for (int j = 0; j < v.length; j++) {
        fresh.get(scored.get(j)).evaluate(v[j]);
      }
    }
    return out;
  }

  /** @return steps proposed so far (every proposal, kept or not) */
  public long proposed() {
    return proposed;
  }

  /** @return tokens generated so far */
  public long tokens() {
    return tokens;
  }

  /** @return wall-clock seconds spent in the proposer so far */
  public double proposeSeconds() {
    return proposeNanos / 1e9;
  }

  /** @return wall-clock seconds spent in the value model so far */
  public double scoreSeconds() {
    return scoreNanos / 1e9;
  }
}
