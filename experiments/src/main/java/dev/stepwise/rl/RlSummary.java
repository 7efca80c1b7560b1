package dev.stepwise.rl;

import java.nio.file.Path;
import java.nio.file.Files;
import dev.stepwise.config.UserError;
import dev.stepwise.config.ComposedConfig;
import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.run.RunContext;
import dev.stepwise.sft.GreedyAccuracy;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.train.TrainResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of an online RL run (GRPO, step PPO): greedy test accuracy of the last policy and of
 * the best model kept by {@link BestModelEvaluator}, gathered into the run summary.
 *
 * <p>Keys: {@code global_step}, {@code train/loss}, {@code eval/baseline_accuracy} (step 0, the
 * SFT model), {@code eval/best}, {@code eval/best_step}, {@code test/accuracy} (last policy),
 * {@code test/best_accuracy} (best model, reloaded from its directory), {@code checkpoint},
 * {@code best_model}. Accuracies are fractions in [0, 1].
 */
public final class RlSummary {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RlSummary.class);

  private RlSummary() {}

  /**
   * @param cfg the run's config
   * @param section the job's section ({@code grpo}, {@code ppo})
   * @param objective the objective name, for the message
   * @return the SFT checkpoint directory {@code <section>.model_path} the run starts from
   * @throws UserError when the section is missing or the path is not a directory
   */
  public static Path startCheckpoint(ComposedConfig cfg, String section, String objective) {
    var c = cfg.config();
    if (!c.hasPath(section)) {
      throw new UserError("objective = " + objective + " needs a " + section + " section with " + section
          + ".model_path (an SFT checkpoint)");
    }
    String key = section + ".model_path";
    String modelPath = c.hasPath(key) ? c.getString(key) : null;
    if (modelPath == null || !Files.isDirectory(Path.of(modelPath))) {
      throw new UserError(section + ".model_path: no checkpoint directory at '" + modelPath + "' (" + cfg.where(section)
          + "); train one with objective=sft and pass its checkpoint");
    }
    return Path.of(modelPath);
  }

  /**
   * Evaluates the start checkpoint (step 0, the SFT baseline), logs it to the run's tracker and
   * the log.
   *
   * @return the step-0 metrics ({@code eval/accuracy}, ...)
   */
  public static Map<String, Double> baseline(BestModelEvaluator best, RunContext ctx, Path modelDir) {
    Map<String, Double> baseline = best.evaluate(0);
    ctx.tracker().log(0, baseline);
    LOG.info("step 0 (SFT checkpoint {}): eval/accuracy {}", modelDir, baseline.get("eval/accuracy"));
    return baseline;
  }

  /** Prints the run's outcome: step-0 and best eval accuracy, last and best test accuracy. */
  public static void print(String algorithm, Map<String, Double> baseline, BestModelEvaluator best, Map<String, Object> summary,
      int testProblems, Path runDir) {
    System.out.printf("%s: eval accuracy %.4f at step 0 (SFT) -> best %.4f at step %d%n"
            + "Test accuracy: last %.4f, best %.4f (%d problems)%nRun directory: %s%nBest model: %s%n",
        algorithm, baseline.get("eval/accuracy"), best.best(), best.bestStep(), (Double) summary.get("test/accuracy"),
        (Double) summary.get("test/best_accuracy"), testProblems, runDir.toAbsolutePath(), best.dir());
  }

  /**
   * @param result the trainer's result
   * @param baseline the step-0 evaluation ({@code eval/accuracy})
   * @param best the evaluator that kept the best model
   * @param test evaluates a policy greedily on the test problems ({@code test/accuracy})
   * @param policyTest the last policy's test evaluation, from {@code test}
   * @return the summary, in the order above
   * @throws IOException when the best model cannot be reloaded
   */
  public static Map<String, Object> of(TrainResult result, Map<String, Double> baseline, BestModelEvaluator best,
      TestEval test, Map<String, Double> policyTest) throws IOException {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("global_step", result.globalStep());
    summary.put("train/loss", result.finalLoss());
    summary.put("eval/baseline_accuracy", baseline.get("eval/accuracy"));
    summary.put("eval/best", best.best());
    summary.put("eval/best_step", best.bestStep());
    summary.putAll(policyTest);
    try (NDManager bm = NDManager.newBaseManager()) {
      CausalLM bestModel = ModelCheckpoint.load(best.dir(), bm);
      summary.put("test/best_accuracy", test.evaluate(bestModel, best.bestStep()).get("test/accuracy"));
    }
    summary.put("checkpoint", String.valueOf(result.lastCheckpoint()));
    summary.put("best_model", best.dir().toString());
    return summary;
  }

  /**
   * Greedy accuracy of a model on fixed test problems.
   *
   * @param task the task (prompts, answer check)
   * @param problems the test problems
   * @param tokenizer the policy's tokenizer
   * @param batchSize prompts per generation batch
   * @param maxTokens maximum new tokens per completion
   * @param contextLength the model's context length
   */
  public record TestEval(Task task, List<Problem> problems, Tokenizer tokenizer, int batchSize, int maxTokens, int contextLength) {
    /** @return {@code test/accuracy} (and the evaluator's other {@code test/*} keys) of {@code model} */
    public Map<String, Double> evaluate(CausalLM model, long step) {
      return new GreedyAccuracy(task, problems, new Sampler(model, tokenizer, batchSize), maxTokens, "test", tokenizer, contextLength)
          .evaluate(step);
    }
  }
}
