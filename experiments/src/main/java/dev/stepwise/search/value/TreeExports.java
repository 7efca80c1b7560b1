package dev.stepwise.search.value;

import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.search.SearchNode;
import dev.stepwise.search.SearchTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Self-training data from a searched tree and its value targets ({@link ValueTargets}), as
 * ReST-MCTS* uses its traces: (a) value-model rows, (b) positive traces for the policy, (c)
 * preference pairs.
 */
public final class TreeExports {
  private TreeExports() {}

  /**
   * (a) Soft-label PRM rows: one group ({@code resp_id} = the terminal node's index) per
   * root-to-terminal path whose terminal node was judged, with one row per step labelled by its
   * value target v_k. Shared prefixes appear in every path through them, as the rollouts format
   * repeats a response's states.
   */
  public static List<PrmRow> prmRows(SearchTree tree, double[] v) {
    List<PrmRow> out = new ArrayList<>();
    var p = tree.problem();
    for (SearchNode t : tree.nodes()) {
      if (!t.terminal() || t.correct() == null) {
        continue;
      }
      List<String> steps = t.steps();
      List<SearchNode> path = new ArrayList<>();
      for (SearchNode n = t; n.parent() != null; n = n.parent()) {
        path.add(0, n);
      }
      for (int k = 0; k < path.size(); k++) {
        SearchNode n = path.get(k);
        out.add(PrmRow.of(p.id(), tree.prompt(), p.label(), t.index(), steps.subList(0, k + 1), n.terminal(), v[n.index()]));
      }
    }
    return out;
  }

  /**
   * (b) Positive traces: the distinct texts of the terminal nodes with the correct answer, in the
   * sampler's record format (the RFT/SFT data reads {@code data.samples_file}, keeping the correct
   * responses).
   *
   * @return the record, or null when no terminal node is correct
   */
  public static SampleRecord positives(SearchTree tree) {
    List<String> texts = new ArrayList<>();
    for (SearchNode n : tree.nodes()) {
      if (n.terminal() && Boolean.TRUE.equals(n.correct()) && !texts.contains(n.text())) {
        texts.add(n.text());
      }
    }
    if (texts.isEmpty()) {
      return null;
    }
    String label = tree.problem().label();
    return new SampleRecord(tree.problem().id(), tree.prompt(), label, texts, texts.stream().map(x -> label).toList());
  }

  /**
   * (c) Full-solution preference pairs: correct terminal solutions (chosen) against incorrect ones
   * (rejected), matched by rank of the value model's score V (the best-scored correct with the
   * best-scored incorrect solution, the hardest negative first), min(#correct, #incorrect) pairs.
   * The rewards are the value targets of the two terminal nodes (1 and 0 by Eq. 2).
   */
  public static List<PreferencePair> pairs(SearchTree tree, double[] v) {
    Comparator<SearchNode> byValue = Comparator.comparingDouble((SearchNode n) -> -n.value()).thenComparingInt(SearchNode::index);
    List<SearchNode> good = new ArrayList<>();
    List<SearchNode> bad = new ArrayList<>();
    for (SearchNode n : tree.nodes()) {
      if (n.terminal() && n.correct() != null) {
        (n.correct() ? good : bad).add(n);
      }
    }
    good.sort(byValue);
    bad.sort(byValue);
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < Math.min(good.size(), bad.size()); i++) {
      SearchNode c = good.get(i);
      SearchNode r = bad.get(i);
      out.add(new PreferencePair(tree.problem().id(), tree.prompt(), c.text(), r.text(), true, v[c.index()], v[r.index()]));
    }
    return out;
  }
}
