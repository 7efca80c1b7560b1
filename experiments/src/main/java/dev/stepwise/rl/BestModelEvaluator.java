package dev.stepwise.rl;

import java.util.List;
import dev.stepwise.task.Task;
import dev.stepwise.task.Problem;
import dev.stepwise.sft.GreedyAccuracy;
import dev.stepwise.sft.EvalConfig;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.train.Evaluator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wraps an evaluator and keeps the best model: whenever {@code metric} (e.g. {@code
 * eval/accuracy}, higher is better) beats every earlier evaluation, the model is written to
 * {@code dir} (a model directory loadable by {@code ModelCheckpoint.load}). Adds {@code
 * eval/best} (the best value so far) and {@code eval/best_step} to each result. The
 * framework's trainer keeps the best checkpoint by {@code eval/loss} only, hence this wrapper.
 */
public final class BestModelEvaluator implements Evaluator {
  private final Evaluator inner;
  private final String metric;
  private final CausalLM model;
  private final Tokenizer tokenizer;
  private final Path dir;
  private double best = Double.NEGATIVE_INFINITY;
  private long bestStep = -1;

  /**
   * @param inner the evaluator to run
   * @param metric the key of {@code inner}'s result to maximise
   * @param model the model to save
   * @param tokenizer saved with it
   * @param dir where the best model goes (overwritten at each improvement)
   */
  public BestModelEvaluator(Evaluator inner, String metric, CausalLM model, Tokenizer tokenizer, Path dir) {
    this.inner = inner;
    this.metric = metric;
    this.model = model;
    this.tokenizer = tokenizer;
    this.dir = dir;
  }

  /**
   * The RL jobs' evaluator: greedy {@code eval/accuracy} on {@code problems}, best policy kept in
   * {@code dir}.
   *
   * @param eval batch size and maximum new tokens of the greedy pass
   */
  public static BestModelEvaluator greedy(Task task, List<Problem> problems, CausalLM policy, Tokenizer tokenizer,
      EvalConfig eval, Path dir) {
    GreedyAccuracy acc = new GreedyAccuracy(task, problems, new Sampler(policy, tokenizer, eval.batchSize()), eval.maxTokens(),
        "eval", tokenizer, policy.config().nPositions());
    return new BestModelEvaluator(acc, "eval/accuracy", policy, tokenizer, dir);
  }

  /**
   * @throws IllegalStateException when {@code inner} does not report {@code metric}
   * @throws UncheckedIOException when the model cannot be written
   */
  @Override
  public Map<String, Double> evaluate(long step) {
    Map<String, Double> m = new LinkedHashMap<>(inner.evaluate(step));
    Double v = m.get(metric);
    if (v == null) {
      throw new IllegalStateException("evaluator did not report " + metric + ": " + m.keySet());
    }
    if (v > best) {
      best = v;
      bestStep = step;
      try {
        ModelCheckpoint.save(dir, model, tokenizer);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    m.put("eval/best", best);
    m.put("eval/best_step", (double) bestStep);
    return m;
  }

  /** @return the best value so far (-infinity before the first evaluation) */
  public double best() {
    return best;
  }

  /** @return the step of the best value, -1 before the first evaluation */
  public long bestStep() {
    return bestStep;
  }

  /** @return the best model's directory */
  public Path dir() {
    return dir;
  }
}
