package dev.stepwise.search;

import dev.stepwise.task.Problem;
import dev.stepwise.task.Steps;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The tree one search grows for one problem: a root (the prompt) and one node per distinct step
 * proposed below a node. What the sampler jobs write to {@code tree.jsonl} ({@link
 * TreeNodeRecord}, one line per node) and what value-target inference reads.
 *
 * <p><b>Terminal nodes.</b> A step is terminal when it is the task's answer step ({@link
 * Steps#isAnswerStep}: it opens with {@code ####}), when the model ended the solution with it, or
 * when it reaches {@code maxSteps}; a terminal node is judged by the task's answer check when the
 * problem's label is known ({@link Problem#label} non-empty).
 */
public final class SearchTree {
  private final Problem problem;
  private final Task task;
  private final String prompt;
  private final int maxSteps;
  private final List<SearchNode> nodes = new ArrayList<>();
  private long proposed;
  private long generated;

  /**
   * @param maxSteps the depth limit, &ge; 1: a node at this depth is terminal
   */
  public SearchTree(Problem problem, Task task, int maxSteps) {
    this.problem = problem;
    this.task = task;
    this.prompt = task.prompt(problem);
    this.maxSteps = Math.max(1, maxSteps);
    nodes.add(new SearchNode(0, null, "", 0, false));
  }

  /** @return the problem */
  public Problem problem() {
    return problem;
  }

  /** @return the task's prompt for the problem */
  public String prompt() {
    return prompt;
  }

  /** @return the root (the empty partial solution) */
  public SearchNode root() {
    return nodes.get(0);
  }

  /** @return every node in creation order (read-only view); the root first */
  public List<SearchNode> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /**
   * Adds a proposal below {@code parent}, unless a child with the same step text is there already
   * (ReST-MCTS* keeps distinct actions only) or the step is empty without ending the solution.
   *
   * @return the new child, or null when nothing was added
   * @throws IllegalArgumentException when {@code parent} is terminal
   */
  public SearchNode add(SearchNode parent, ProposedStep p) {
    if (parent.terminal()) {
      throw new IllegalArgumentException("node " + parent.index() + " is terminal");
    }
    String text = p.text().trim();
    if (text.isEmpty() && !p.ended()) {
      return null;
    }
    for (SearchNode c : parent.children()) {
      if (c.step().equals(text)) {
        return null;
      }
    }
    boolean terminal = p.ended() || Steps.isAnswerStep(text) || parent.depth() + 1 >= maxSteps;
    SearchNode c = new SearchNode(nodes.size(), parent, text, p.tokens(), terminal);
    parent.addChild(c);
    nodes.add(c);
    if (terminal && !problem.label().isEmpty()) {
      c.setCorrect(task.isCorrect(c.text(), problem));
    }
    return c;
  }

  /** Counts one proposal made for this tree (kept or not) and its tokens. */
  public void charge(ProposedStep p) {
    proposed++;
    generated += p.tokens();
  }

  /** @return proposals made for this tree ({@link #charge}) */
  public long proposed() {
    return proposed;
  }

  /** @return tokens generated for this tree, duplicates and dropped proposals included */
  public long tokens() {
    return generated;
  }

  /** @return one record per node, in creation order */
  public List<TreeNodeRecord> records() {
    List<TreeNodeRecord> out = new ArrayList<>(nodes.size());
    for (SearchNode n : nodes) {
      out.add(TreeNodeRecord.of(problem.id(), n));
    }
    return out;
  }
}
