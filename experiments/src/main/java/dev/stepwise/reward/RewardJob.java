package dev.stepwise.reward;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.reward.data.LabelType;
import dev.stepwise.reward.data.RewardData;
import dev.stepwise.reward.eval.RewardEvaluator;
import dev.stepwise.reward.eval.StepScorer;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.Objective;
import dev.stepwise.train.OptimConfig;
import dev.stepwise.train.TrainResult;
import dev.stepwise.train.Trainer;
import dev.stepwise.train.TrainerConfig;
import dev.stepwise.reward.data.RewardBatch;
import dev.stepwise.reward.loss.ScalarBceObjective;
import dev.stepwise.reward.loss.PrmClassObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an ORM ({@code objective = orm}) or a PRM ({@code objective = prm}) with the generic
 * {@link Trainer}: loads the SFT checkpoint {@code reward.model_path}, adds a head ({@link
 * RewardModel}), builds the labelled data ({@link RewardDataSets}), trains, evaluates {@code
 * eval/loss}, {@code eval/accuracy}, {@code eval/step_accuracy} and {@code eval/auc} every
 * {@code trainer.eval_steps} and at the end, and writes the final model to {@code <run
 * dir>/reward_model} (also inside every trainer checkpoint).
 */
public final class RewardJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(RewardJob.class);
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public RewardJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    String objective = c.getString("objective");
    Task task = TaskFactory.fromConfig(tasks, cfg);
    RewardConfig rc = cfg.bind("reward", RewardConfig.class);
    TrainerConfig trainerCfg = cfg.bind("trainer", TrainerConfig.class);
    OptimConfig optim = cfg.bind("optim", OptimConfig.class);
    // evaluation scores class heads by the optional prm section's class_reduce (docs/reward.md)
    PrmConfig prm = c.hasPath("prm") ? cfg.bind("prm", PrmConfig.class) : PrmConfig.defaults();
    if (rc.modelPath() == null || !Files.isDirectory(Path.of(rc.modelPath()))) {
      throw new UserError("reward.model_path: no SFT checkpoint directory at '" + rc.modelPath() + "' (" + cfg.where("reward") + ")");
    }
    LabelType labelType = LabelType.parse(rc.labelType(), cfg.where("reward"));
    Path modelDir = Path.of(rc.modelPath());
    Tokenizer tok = Tokenizers.load(modelDir);
    try (NDManager manager = NDManager.newBaseManager()) {
      // lora: the transformer trains a LoRA adapter, the head trains in full (PEFT's modules_to_save)
      CausalLM lm = dev.stepwise.model.lora.LoraSetup.apply(cfg, ModelCheckpoint.load(modelDir, manager), modelDir, trainerCfg.seed());
      int ctxLen = lm.config().nPositions();
      RewardDataSets sets = RewardDataSets.build(objective, rc, labelType, task, tok, ctxLen);
      HeadSpec spec = sets.headSpec();
      RewardModel model = RewardModel.create(lm, spec, manager, trainerCfg.seed());
      LOG.info("{}: {} train sequences ({} labels, {} truncated), {} eval sequences; head {} x{}",
          objective, sets.train().size(), sets.train().labels(), sets.train().truncated(),
          sets.eval() == null ? 0 : sets.eval().size(), spec.type(), spec.numClasses());
      Objective<RewardBatch> obj = objective(objective, spec, model);
      CheckpointHook hook = new CheckpointHook() {
        @Override
        public void save(Path dir) throws java.io.IOException {
          model.save(dir, tok);
        }

        @Override
        public void load(Path dir) throws java.io.IOException {
          model.loadInto(dir);
        }
      };
      Trainer<RewardBatch> trainer =
          new Trainer<>(trainerCfg, optim, model.parameters(), obj, sets.train(), hook, ctx.dir().path())
              .withTrackers(List.of(ctx.tracker()));
      if (sets.eval() != null) {
        trainer.withEvalData(sets.eval())
            .withEvaluator(new RewardEvaluator(new StepScorer(model, rc.evalBatchSize(), tok.padId(), prm.stepScore()), sets.eval()));
      }
      TrainResult result = trainer.train();
      Path out = ctx.dir().path().resolve("reward_model");
      model.save(out, tok);
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("global_step", result.globalStep());
      summary.put("train/loss", result.finalLoss());
      summary.putAll(result.lastEval());
      summary.put("reward_model", out.toAbsolutePath().toString());
      ctx.tracker().summary(summary);
      System.out.printf("%s trained: %s%nReward model: %s%n", objective, result.lastEval(), out.toAbsolutePath());
    }
  }

  /**
   * @return the objective for {@code name} and the head: cross-entropy for a PRM with a class
   *     head, else BCE on the scalar head (ORM, PRM soft/hard; the data places the labels)
   */
  static Objective<RewardBatch> objective(String name, HeadSpec spec, RewardModel model) {
    boolean classes = !name.equals("orm") && spec.numClasses() > 1;
    return classes ? new PrmClassObjective(model) : new ScalarBceObjective(model);
  }
}
