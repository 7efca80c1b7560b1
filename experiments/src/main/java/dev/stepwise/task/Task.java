package dev.stepwise.task;

import java.util.List;
import java.util.Optional;

/**
 * A reasoning task: its problems, its prompt template, its step splitting and its answer
 * check. Tasks are named components ({@code arith}, {@code gsm8k}, later {@code logiqa2}).
 */
public interface Task {
  /** @return the registry name */
  String name();

  /**
   * @param split {@code "train"}, {@code "test"} or, where {@link #hasSplit} says so, {@code
   *     "validation"} (problems disjoint from both, for model selection during training)
   * @param limit maximum number of problems (0 or negative: all), taken in file/generation order
   * @return the problems
   * @throws dev.stepwise.config.UserError when the split is unknown or the data is missing
   */
  List<Problem> problems(String split, int limit);

  /**
   * @param split a split name
   * @return true when {@link #problems} serves it; the default serves {@code train} and {@code
   *     test}
   */
  default boolean hasSplit(String split) {
    return "train".equals(split) || "test".equals(split);
  }

  /** @return the prompt given to the model for {@code p} (ends where the completion starts) */
  String prompt(Problem p);

  /** @return the SFT target completion for {@code p} (its reference solution) */
  String target(Problem p);

  /** @return the steps of a completion (one per non-empty line unless the task says otherwise) */
  List<String> splitSteps(String completion);

  /** @return the final answer extracted from a completion, if any */
  Optional<String> extractAnswer(String completion);

  /** @return true when the completion's answer equals the problem's label */
  boolean isCorrect(String completion, Problem p);
}
