package dev.stepwise.rl;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
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
import dev.stepwise.sft.TestConfig;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.OptimConfig;
import dev.stepwise.train.TrainResult;
import dev.stepwise.train.Trainer;
import dev.stepwise.train.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    Path modelDir = RlSummary.startCheckpoint(cfg, "grpo", "grpo");
    GrpoConfig g = cfg.bind("grpo", GrpoConfig.class);
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
    Tokenizer tok = Tokenizers.load(modelDir);
    try (NDManager manager = NDManager.newBaseManager()) {
      CausalLM policy = dev.stepwise.model.lora.LoraSetup.apply(cfg, ModelCheckpoint.load(modelDir, manager), modelDir, trainerCfg.seed());
      // with LoRA the reference is the same weights with the adapter off (no second copy)
      CausalLM reference = g.beta() > 0 ? dev.stepwise.model.lora.LoraSetup.referenceOf(policy) : null;
      if (g.beta() > 0 && reference == null) {
        reference = ModelCheckpoint.load(modelDir, manager);
        reference.setTrainable(false);
      }
      int ctxLen = policy.config().nPositions();
      Sampler rolloutSampler = new Sampler(policy, tok, Math.max(1, trainerCfg.perDeviceTrainBatchSize() * g.numGenerations()));
      GrpoRollouts data = new GrpoRollouts(task, train, tok, rolloutSampler, g, rewards, reference, trainerCfg.seed());
      BestModelEvaluator best = BestModelEvaluator.greedy(task, evalSet, policy, tok, eval, ctx.dir().path().resolve("best"));
      Map<String, Double> baseline = RlSummary.baseline(best, ctx, modelDir);
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
      RlSummary.print("GRPO", baseline, best, summary, testSet.size(), ctx.dir().path());
    }
  }
}
