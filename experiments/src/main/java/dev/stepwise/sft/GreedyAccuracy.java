package dev.stepwise.sft;

import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.train.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Greedy accuracy: one greedy completion per problem (KV-cache sampler, temperature 0), judged
 * by the task's answer check. Reports {@code <prefix>/accuracy} in [0, 1], {@code
 * <prefix>/num_problems} and {@code <prefix>/tokens_per_second} of generation.
 */
public final class GreedyAccuracy implements Evaluator {
  private final Task task;
  private final List<Problem> problems;
  private final Sampler sampler;
  private final SamplingParams params;
  private final String prefix;

  /**
   * @param task the task (prompt template and answer check)
   * @param problems the held-out problems
   * @param sampler the sampler over the model being trained
   * @param maxTokens maximum new tokens per completion
   * @param prefix metric prefix, {@code eval} or {@code test}
   */
  public GreedyAccuracy(Task task, List<Problem> problems, Sampler sampler, int maxTokens, String prefix) {
    this.task = task;
    this.problems = List.copyOf(problems);
    this.sampler = sampler;
    this.params = new SamplingParams(1, 0.0, 1.0, 0, maxTokens, List.of(), 0L, false);
    this.prefix = prefix;
  }

  @Override
  public Map<String, Double> evaluate(long step) {
    List<String> prompts = new ArrayList<>(problems.size());
    for (Problem p : problems) {
      prompts.add(task.prompt(p));
    }
    long t0 = System.nanoTime();
    List<List<Completion>> out = sampler.generate(prompts, params);
    double secs = (System.nanoTime() - t0) / 1e9;
    int correct = 0;
    long tokens = 0;
    for (int i = 0; i < problems.size(); i++) {
      Completion c = out.get(i).get(0);
      tokens += c.tokenIds().length;
      if (task.isCorrect(c.text(), problems.get(i))) {
        correct++;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "/accuracy", problems.isEmpty() ? 0.0 : correct / (double) problems.size());
    m.put(prefix + "/num_problems", (double) problems.size());
    m.put(prefix + "/tokens_per_second", tokens / Math.max(secs, 1e-9));
    return m;
  }
}
