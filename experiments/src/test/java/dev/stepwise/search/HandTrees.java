package dev.stepwise.search;

import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;

/** Hand-built search trees on the real arith task (answer steps open with ####; label 8). */
final class HandTrees {
  static final ArithTask TASK = new ArithTask(ArithConfig.DEFAULTS);
  static final Problem PROBLEM = new Problem("p", "Tom has 3 apples. He buys 5 more. How many apples does Tom have now?", "", "8");

  private HandTrees() {}

  static SearchTree tree() {
    return new SearchTree(PROBLEM, TASK, 10);
  }

  /** Adds {@code step} below {@code parent} and gives it {@code score} (value and step score). */
  static SearchNode add(SearchTree t, SearchNode parent, String step, double score) {
    SearchNode n = t.add(parent, new ProposedStep(step, step.length(), false));
    n.evaluate(score);
    return n;
  }
}
