package dev.stepwise.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One node of a search tree: a partial solution, i.e. the root's prompt followed by the steps on
 * the path from the root. The root has no step (depth 0).
 *
 * <p>Statistics (ReST-MCTS* notation): {@code value} is the node's quality value V (set by the
 * value model at expansion, then the visit-weighted mean of its children's values by {@link
 * dev.stepwise.search.mcts.Backpropagation}); {@code visits} is N; {@code stepScore} is the value
 * model's score of this node's own step (never changed after evaluation; beam search aggregates
 * these along a path). Nodes are owned by one {@link SearchTree} and not thread-safe.
 */
public final class SearchNode {
  private final int index;
  private final SearchNode parent;
  private final String step;
  private final int depth;
  private final int tokens;
  private final boolean terminal;
  private final List<SearchNode> children = new ArrayList<>();
  private double stepScore = Double.NaN;
  private double value;
  private int visits;
  private boolean expanded;
  private Boolean correct;

  SearchNode(int index, SearchNode parent, String step, int tokens, boolean terminal) {
    this.index = index;
    this.parent = parent;
    this.step = step;
    this.depth = parent == null ? 0 : parent.depth + 1;
    this.tokens = tokens;
    this.terminal = terminal;
  }

  /** @return the node's index in its tree, 0 for the root, in creation order */
  public int index() {
    return index;
  }

  /** @return the parent, null for the root */
  public SearchNode parent() {
    return parent;
  }

  /** @return this node's step text ("" for the root) */
  public String step() {
    return step;
  }

  /** @return steps from the root, 0 for the root */
  public int depth() {
    return depth;
  }

  /** @return tokens generated for this node's step (0 for the root) */
  public int tokens() {
    return tokens;
  }

  /** @return true when no step may follow (an answer step, the model ended, or the depth limit) */
  public boolean terminal() {
    return terminal;
  }

  /** @return the children in creation order (read-only view) */
  public List<SearchNode> children() {
    return Collections.unmodifiableList(children);
  }

  void addChild(SearchNode c) {
    children.add(c);
  }

  /** @return the value model's score of this node's step in [0, 1]; NaN before evaluation and for the root */
  public double stepScore() {
    return stepScore;
  }

  /** Sets the step score (and, as MCTS* does at expansion, the value V to the same number). */
  public void evaluate(double score) {
    this.stepScore = score;
    this.value = score;
  }

  /** @return the quality value V */
  public double value() {
    return value;
  }

  /** @param v the new quality value V */
  public void setValue(double v) {
    this.value = v;
  }

  /** @return the visit count N, &ge; 0 */
  public int visits() {
    return visits;
  }

  /** @param n the new visit count */
  public void setVisits(int n) {
    this.visits = n;
  }

  /** @return true once the node was expanded (proposals asked for), even when none was kept */
  public boolean expanded() {
    return expanded;
  }

  /** Marks the node expanded. */
  public void markExpanded() {
    this.expanded = true;
  }

  /** @return whether the node's solution is correct (terminal nodes, reference known); null otherwise */
  public Boolean correct() {
    return correct;
  }

  /** @param c the correctness of a terminal node's answer */
  public void setCorrect(Boolean c) {
    this.correct = c;
  }

  /** @return the steps from the root to this node, in order (empty for the root) */
  public List<String> steps() {
    List<String> out = new ArrayList<>(depth);
    for (SearchNode n = this; n.parent != null; n = n.parent) {
      out.add(n.step);
    }
    Collections.reverse(out);
    return out;
  }

  /** @return the step scores from the root's first child to this node, in order */
  public double[] pathScores() {
    double[] s = new double[depth];
    int i = depth;
    for (SearchNode n = this; n.parent != null; n = n.parent) {
      s[--i] = n.stepScore;
    }
    return s;
  }

  /** @return the solution text: the steps joined by newlines (the task's step format) */
  public String text() {
    return String.join("\n", steps());
  }

  /**
   * @param prompt the problem's prompt
   * @return the text the policy continues: the prompt, then every step followed by a newline
   */
  public String context(String prompt) {
    StringBuilder sb = new StringBuilder(prompt);
    for (String s : steps()) {
      sb.append(s).append('\n');
    }
    return sb.toString();
  }
}
