package dev.stepwise.rl;

import dev.stepwise.generate.Completion;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;

/**
 * The outcome reward: 1.0 when the task's answer check accepts the completion's final answer
 * ({@link Task#isCorrect}), else 0.0 (TRL's {@code accuracy_reward}). Registered as {@code
 * answer}.
 */
public final class AnswerReward implements RewardFunction {
  /** Registry name. */
  public static final String NAME = "answer";

  private final Task task;

  /** @param task the task whose answer check judges completions */
  public AnswerReward(Task task) {
    this.task = task;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double score(Problem problem, Completion completion) {
    return task.isCorrect(completion.text(), problem) ? 1.0 : 0.0;
  }
}
