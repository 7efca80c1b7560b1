package dev.stepwise.search;

import dev.stepwise.task.Problem;
import java.util.List;

/**
 * Scores partial solutions: the value model of MCTS* (ReST-MCTS* section 3.1, the quality value
 * v_k of a partial solution) or the PRM of step beam search. Implementation: {@link PrmValuer}
 * (a reward model trained by {@code objective = prm}, in process).
 */
public interface StepValuer {
  /**
   * @param problems one problem per partial solution
   * @param steps per partial solution, its steps in order (at least one)
   * @return per partial solution, the score of its last step, in [0, 1]
   */
  double[] score(List<Problem> problems, List<List<String>> steps);
}
