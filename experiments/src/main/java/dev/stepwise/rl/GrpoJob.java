package dev.stepwise.rl;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.Sampler;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.sft.EvalConfig;
import dev.stepwise.sft.EvalSets;
import dev.stepwise.sft.GreedyAccuracy;
import dev.stepwise.sft.TestConfig;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.OptimConfig;
import dev.stepwise.train.TrainResult;
import dev.stepwise.train.Trainer;
import dev.stepwise.train.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRPO end to end (config {@code objective = grpo}): loads the SFT checkpoint {@code
 * grpo.model_path} (and, when {@code grpo.beta > 0}, a frozen copy as reference), builds the
 * reward functions {@code grpo.reward_funcs}, evaluates greedy accuracy before training (step
 * 0, the SFT baseline) and every {@code trainer.eval_steps}, keeping the best model in {@code
 * <run dir>/best}; trains with the generic {@link Trainer} ({@code
 * trainer.per_device_train_batch_size} = prompts per micro-batch, each with {@code
 * grpo.num_generations} completions); reports the final greedy test accuracy of the last model
 * ({@code test/accuracy}) and of the best one ({@code test/best_accuracy}).
 */
public final class GrpoJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(GrpoJob.class);
  private final Registry<TaskFactory> tasks;
  private final Registry<RewardFactory> rewardFactories;

  /** Injected. */
  @Inject
  public GrpoJob(Registry<TaskFactory> tasks, Registry<RewardFactory> rewardFactories) {
    this.tasks = tasks;
    this.rewardFactories = rewardFactories;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    if (!c.hasPath("grpo")) {
      throw new UserError("objective = grpo needs a grpo section with grpo.model_path (an SFT checkpoint)");
    }
    GrpoConfig g = cfg.bind("grpo", GrpoConfig.class);
    if (g.modelPath() == null || !Files.isDirectory(Path.of(g.modelPath()))) {
      throw new UserError("grpo.model_path: no checkpoint directory at '" + g.modelPath()
          + "' (" + Origins.where(c, "grpo") + "); train one with objective=sft and pass its checkpoint");
    }
    TrainerConfig trainerCfg = cfg.bind("trainer", TrainerConfig.class);
    OptimConfig optim = cfg.bind("optim", OptimConfig.class);
    EvalConfig eval = cfg.bind("eval", EvalConfig.class);
    TestConfig test = cfg.bind("test", TestConfig.class);
    List<RewardFunction> rewards = new ArrayList<>();
    for (int i = 0; i < g.rewardFuncs().size(); i++) {
      rewards.add(rewardFactories.get(g.rewardFuncs().get(i), Origins.where(c, "grpo.reward_funcs")).create(cfg, task));
    }
    List<Problem> train = task.problems("train", 0);
    EvalSets sets = EvalSets.of(task, eval, test);
    List<Problem> evalSet = sets.eval();
    List<Problem> testSet = sets.test();
    Path modelDir = Path.of(g.modelPath());
    Tokenizer tok = Tokenizers.load(modelDir);
    try (NDManager manager = NDManager.newBaseManager()) {
      CausalLM policy = ModelCheckpoint.load(modelDir, manager);
      CausalLM reference = null;
      if (g.beta() > 0) {
        reference = ModelCheckpoint.load(modelDir, manager);
        reference.setTrainable(false);
      }
      int ctxLen = policy.config().nPositions();
      Sampler rolloutSampler = new Sampler(policy, tok, Math.max(1, trainerCfg.perDeviceTrainBatchSize() * g.numGenerations()));
      Sampler evalSampler = new Sampler(policy, tok, eval.batchSize());
      GrpoRollouts data = new GrpoRollouts(task, train, tok, rolloutSampler, g, rewards, reference, trainerCfg.seed());
      BestModelEvaluator best = new BestModelEvaluator(
          new GreedyAccuracy(task, evalSet, evalSampler, eval.maxTokens(), "eval", tok, ctxLen),
          "eval/accuracy", policy, tok, ctx.dir().path().resolve("best"));
      Map<String, Double> baseline = best.evaluate(0);
      ctx.tracker().log(0, baseline);
      LOG.info("step 0 (SFT checkpoint {}): eval/accuracy {}", modelDir, baseline.get("eval/accuracy"));
      CheckpointHook hook = new CheckpointHook() {
        @Override
        public void save(Path dir) throws java.io.IOException {
          ModelCheckpoint.save(dir, policy, tok);
        }

        @Override
        public void load(Path dir) throws java.io.IOException {
          ModelCheckpoint.loadInto(dir, policy);
        }
      };
      TrainResult result = new Trainer<>(trainerCfg, optim, policy.parameters(), new GrpoObjective(policy, g.lossParams()),
              data, hook, ctx.dir().path())
          .withEvaluator(best)
          .withTrackers(List.of(ctx.tracker()))
          .train();
      RlSummary.TestEval testEval = new RlSummary.TestEval(task, testSet, tok, eval.batchSize(), eval.maxTokens(), ctxLen);
      Map<String, Double> last = testEval.evaluate(policy, result.globalStep());
      Map<String, Object> summary = RlSummary.of(result, baseline, best, testEval, last);
      ctx.tracker().summary(summary);
      for (RewardFunction r : rewards) {
        if (r instanceof AutoCloseable a) {
          a.close();
        }
      }
      System.out.printf("GRPO: eval accuracy %.4f at step 0 (SFT) -> best %.4f at step %d%n"
              + "Test accuracy: last %.4f, best %.4f (%d problems)%nRun directory: %s%nBest model: %s%n",
          baseline.get("eval/accuracy"), best.best(), best.bestStep(), last.get("test/accuracy"),
          (Double) summary.get("test/best_accuracy"), testSet.size(), ctx.dir().path().toAbsolutePath(), best.dir());
    }
  }
}
