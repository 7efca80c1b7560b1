package dev.stepwise.rl.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.Sampler;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.rl.BestModelEvaluator;
import dev.stepwise.rl.RlSummary;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.rl.prm.PrmReward;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step PPO end to end ({@code objective = step_ppo}): loads the SFT checkpoint {@code
 * ppo.model_path} as actor and (frozen) reference, the PRM of {@code prm.model_path} (frozen;
 * not needed when {@code ppo.reward_mode = outcome} and {@code ppo.critic_init = policy}), the
 * critic ({@code ppo.critic_init}); evaluates greedy accuracy at step 0 and every {@code
 * trainer.eval_steps} keeping the best actor in {@code <run dir>/best} ({@link
 * BestModelEvaluator}); trains actor and critic with one AdamW through the generic {@link
 * Trainer} (checkpoints under {@code <run dir>/checkpoints}: the actor's files and {@code
 * critic/}); reports {@code test/accuracy} (last actor) and {@code test/best_accuracy}.
 */
public final class StepPpoJob implements RunJob {
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public StepPpoJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    Path modelDir = RlSummary.startCheckpoint(cfg, "ppo", "step_ppo");
    PpoConfig p = cfg.bind("ppo", PpoConfig.class);
    boolean needPrm = p.mode().process() || p.criticInit().equals("prm");
    PrmConfig prmCfg = c.hasPath("prm") ? cfg.bind("prm", PrmConfig.class) : new PrmConfig(null, null, null);
    TrainerConfig trainerCfg = cfg.bind("trainer", TrainerConfig.class);
    OptimConfig optim = cfg.bind("optim", OptimConfig.class);
    EvalConfig eval = cfg.bind("eval", EvalConfig.class);
    TestConfig test = cfg.bind("test", TestConfig.class);
    List<Problem> train = task.problems("train", 0);
    EvalSets sets = EvalSets.of(task, eval, test);
    List<Problem> evalSet = sets.eval();
    List<Problem> testSet = sets.test();
    Tokenizer tok = Tokenizers.load(modelDir);
    try (NDManager manager = NDManager.newBaseManager();
        PrmReward prm = needPrm ? PrmReward.load(prmCfg, task, c.hasPath("prm") ? cfg.where("prm") : "no prm section") : null) {
      CausalLM policy = dev.stepwise.model.lora.LoraSetup.apply(cfg, ModelCheckpoint.load(modelDir, manager), modelDir, trainerCfg.seed());
      // with LoRA the reference is the same weights with the adapter off (no second copy)
      CausalLM loraRef = dev.stepwise.model.lora.LoraSetup.referenceOf(policy);
      CausalLM reference = loraRef != null ? loraRef : ModelCheckpoint.load(modelDir, manager);
      reference.setTrainable(false);
      if (prm != null && prm.model().lm().config().vocabSize() != policy.config().vocabSize()) {
        throw new UserError("prm.model_path: the PRM's vocabulary (" + prm.model().lm().config().vocabSize()
            + ") differs from the policy's (" + policy.config().vocabSize() + "); train the PRM from the same SFT model");
      }
      // with LoRA the critic's transformer gets its own adapter (its base stays frozen), the value head trains in full
      Path criticBase = p.criticInit().equals("prm") && prmCfg.modelPath() != null ? Path.of(prmCfg.modelPath()) : modelDir;
      Critic critic = Critic.create(p.criticInit(), prmCfg.modelPath() == null ? null : Path.of(prmCfg.modelPath()),
          modelDir, manager, trainerCfg.seed(), lm -> {
            try {
              return dev.stepwise.model.lora.LoraSetup.apply(cfg, lm, criticBase, trainerCfg.seed() + 1);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      int ctxLen = policy.config().nPositions();
      Sampler rolloutSampler = new Sampler(policy, tok, Math.max(1, trainerCfg.perDeviceTrainBatchSize()));
      PpoRollouts data = new PpoRollouts(task, train, tok, rolloutSampler, policy, reference, critic, prm, p, trainerCfg.seed());
      BestModelEvaluator best = BestModelEvaluator.greedy(task, evalSet, policy, tok, eval, ctx.dir().path().resolve("best"));
      Map<String, Double> baseline = RlSummary.baseline(best, ctx, modelDir);
      CheckpointHook hook = new CheckpointHook() {
        @Override
        public void save(Path dir) throws java.io.IOException {
          ModelCheckpoint.save(dir, policy, tok);
          critic.save(dir.resolve("critic"), tok);
        }

        @Override
        public void load(Path dir) throws java.io.IOException {
          ModelCheckpoint.loadInto(dir, policy);
          critic.loadInto(dir.resolve("critic"));
        }
      };
      Map<String, NDArray> params = new LinkedHashMap<>(policy.parameters());
      params.putAll(critic.parameters());
      TrainResult result = new Trainer<>(trainerCfg, optim, params, new StepPpoObjective(policy, critic, p), data, hook,
              ctx.dir().path())
          .withEvaluator(best)
          .withTrackers(List.of(ctx.tracker()))
          .train();
      RlSummary.TestEval testEval = new RlSummary.TestEval(task, testSet, tok, eval.batchSize(), eval.maxTokens(), ctxLen);
      Map<String, Double> last = testEval.evaluate(policy, result.globalStep());
      Map<String, Object> summary = RlSummary.of(result, baseline, best, testEval, last);
      ctx.tracker().summary(summary);
      RlSummary.print("Step PPO", baseline, best, summary, testSet.size(), ctx.dir().path());
    }
  }
}
