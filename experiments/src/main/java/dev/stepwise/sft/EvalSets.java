package dev.stepwise.sft;

import dev.stepwise.config.UserError;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.util.List;

/**
 * The problems a training job evaluates on: {@code eval} during training (greedy accuracy every
 * {@code eval_steps}, best-model selection) and {@code test} once at the end.
 *
 * <p>The eval problems come from {@link EvalConfig#split()}: by default the task's {@code
 * validation} split when it has one, so that choosing a checkpoint by {@code eval/accuracy} does
 * not leak into {@code test/accuracy}; tasks without one (GSM8K, LogiQA 2.0) evaluate on the first
 * {@code eval.num_problems} test problems, as before.
 *
 * @param eval the first {@code eval.num_problems} problems of the eval split
 * @param test the first {@code test.num_problems} test problems (all when 0)
 * @param evalSplit the split {@code eval} came from
 */
public record EvalSets(List<Problem> eval, List<Problem> test, String evalSplit) {
  /**
   * @throws UserError when {@code eval.split} names a split the task does not have
   */
  public static EvalSets of(Task task, EvalConfig evalCfg, TestConfig testCfg) {
    String split = evalCfg.split() != null ? evalCfg.split() : task.hasSplit("validation") ? "validation" : "test";
    if (!task.hasSplit(split)) {
      throw new UserError("eval.split = '" + split + "': task " + task.name() + " has no such split");
    }
    List<Problem> testAll = task.problems("test", 0);
    List<Problem> test = testCfg.numProblems() <= 0 ? testAll : testAll.subList(0, Math.min(testCfg.numProblems(), testAll.size()));
    return new EvalSets(task.problems(split, Math.max(1, evalCfg.numProblems())), test, split);
  }
}
