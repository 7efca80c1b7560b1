package dev.stepwise.sft;

import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.train.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Greedy accuracy: one greedy completion per problem (KV-cache sampler, temperature 0), judged
 * by the task's answer check. Reports {@code <prefix>/accuracy} in [0, 1] over all problems,
 * {@code <prefix>/num_problems}, {@code <prefix>/prompts_too_long} (prompts that leave no room to
 * generate within the context length: counted as wrong, not generated) and {@code
 * <prefix>/tokens_per_second} of generation.
 */
public final class GreedyAccuracy implements Evaluator {
  private final Task task;
  private final List<Problem> problems;
  private final Sampler sampler;
  private final SamplingParams params;
  private final String prefix;
  private final Tokenizer tokenizer;
  private final int contextLength;

  /**
   * @param task the task (prompt template and answer check)
   * @param problems the held-out problems
   * @param sampler the sampler over the model being trained
   * @param maxTokens maximum new tokens per completion
   * @param prefix metric prefix, {@code eval} or {@code test}
   * @param tokenizer the model's tokenizer (to measure prompts)
   * @param contextLength the model's {@code n_positions}
   */
  public GreedyAccuracy(
      Task task, List<Problem> problems, Sampler sampler, int maxTokens, String prefix, Tokenizer tokenizer, int contextLength) {
    this.task = task;
    this.problems = List.copyOf(problems);
    this.sampler = sampler;
    this.params = new SamplingParams(1, 0.0, 1.0, 0, maxTokens, List.of(), 0L, false);
    this.prefix = prefix;
    this.tokenizer = tokenizer;
    this.contextLength = contextLength;
  }

  @Override
  public Map<String, Double> evaluate(long step) {
    List<String> prompts = new ArrayList<>(problems.size());
    List<Problem> fitting = new ArrayList<>(problems.size());
    for (Problem p : problems) {
      String prompt = task.prompt(p);
      if (tokenizer.encodePrompt(prompt).length < contextLength) {
        prompts.add(prompt);
        fitting.add(p);
      }
    }
    long t0 = System.nanoTime();
    List<List<Completion>> out = prompts.isEmpty() ? List.of() : sampler.generate(prompts, params);
    double secs = (System.nanoTime() - t0) / 1e9;
    int correct = 0;
    long tokens = 0;
    for (int i = 0; i < fitting.size(); i++) {
      Completion c = out.get(i).get(0);
      tokens += c.tokenIds().length;
      if (task.isCorrect(c.text(), fitting.get(i))) {
        correct++;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "/accuracy", problems.isEmpty() ? 0.0 : correct / (double) problems.size());
    m.put(prefix + "/num_problems", (double) problems.size());
    m.put(prefix + "/prompts_too_long", (double) (problems.size() - fitting.size()));
    m.put(prefix + "/tokens_per_second", tokens / Math.max(secs, 1e-9));
    return m;
  }
}
