package dev.stepwise.search.value;

import dev.stepwise.search.SearchNode;
import dev.stepwise.search.SearchTree;
import java.util.Arrays;
import java.util.List;

/**
 * Per-step value targets of a searched tree, as ReST-MCTS* infers them from oracle answers
 * (Zhang et al. 2024, arXiv 2406.03816, section 3.1, "quality value"): for the k-th step s_k of a
 * partial solution,
 *
 * <pre>w_{s_k} = (1 − v_{k−1}) / (m_k + 1) · (1 − 2 r_{s_k})      (Eq. 1, the weighted reward)
 * v_k     = max(v_{k−1} + w_{s_k}, 0),   v_0 = 0                 (Eq. 2, the quality value)</pre>
 *
 * where r_{s_k} ∈ {0, 1} is the step's process reward (0 = a correct step) and m_k the reasoning
 * distance, the number of steps still needed from s_k to reach the answer. On a correct trace of K
 * steps (r = 0, m_k = K − k) this gives v_k = k / K, ending at 1; an incorrect step lowers the
 * value, towards 0.
 *
 * <p>How r and m are read off a tree (the paper infers them from the searched traces and the
 * oracle answer; these are Stepwise's exact rules):
 *
 * <ul>
 *   <li>r_{s_k} = 0 when the subtree of s_k holds a terminal node with the correct answer, else 1;
 *   <li>m_k = for r = 0, the fewest steps from s_k down to a correct terminal node (0 at the
 *       correct terminal node itself); for r = 1, the fewest steps down to any terminal node;
 *   <li>a node whose subtree holds no terminal node judged against the answer (unfinished
 *       branches, or no label) gets no target (NaN): nothing is known about it.
 * </ul>
 */
public final class ValueTargets {
  private ValueTargets() {}

  /**
   * @return per node index, v_k in [0, 1] (Eq. 2), NaN for nodes without a target; 0 for the root
   *     (v_0)
   */
  public static double[] infer(SearchTree tree) {
    List<SearchNode> nodes = tree.nodes();
    int n = nodes.size();
    int[] toCorrect = new int[n];
    int[] toTerminal = new int[n];
    Arrays.fill(toCorrect, Integer.MAX_VALUE);
    Arrays.fill(toTerminal, Integer.MAX_VALUE);
    // children are created after their parent: a reverse sweep sees every child before its parent
    for (int i = n - 1; i >= 0; i--) {
      SearchNode s = nodes.get(i);
      if (s.terminal() && s.correct() != null) {
        toTerminal[i] = 0;
        if (s.correct()) {
          toCorrect[i] = 0;
        }
      }
      for (SearchNode c : s.children()) {
        if (toTerminal[c.index()] != Integer.MAX_VALUE) {
          toTerminal[i] = Math.min(toTerminal[i], toTerminal[c.index()] + 1);
        }
        if (toCorrect[c.index()] != Integer.MAX_VALUE) {
          toCorrect[i] = Math.min(toCorrect[i], toCorrect[c.index()] + 1);
        }
      }
    }
    double[] v = new double[n];
    Arrays.fill(v, Double.NaN);
    v[0] = 0;
    for (int i = 1; i < n; i++) {
      if (toTerminal[i] == Integer.MAX_VALUE) {
        continue;
      }
      int r = toCorrect[i] == Integer.MAX_VALUE ? 1 : 0;
      int m = r == 0 ? toCorrect[i] : toTerminal[i];
      v[i] = next(v[nodes.get(i).parent().index()], m, r);
    }
    return v;
  }

  /**
   * One application of Eq. 1 and Eq. 2.
   *
   * @param prev v_{k−1} in [0, 1]
   * @param m the reasoning distance m_k &ge; 0
   * @param r the step reward r_{s_k}, 0 (correct) or 1
   * @return v_k = max(v_{k−1} + (1 − v_{k−1}) / (m + 1) · (1 − 2r), 0)
   */
  public static double next(double prev, int m, int r) {
    double w = (1 - prev) / (m + 1) * (1 - 2 * r);
    return Math.max(prev + w, 0);
  }
}
