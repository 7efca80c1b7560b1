package dev.stepwise.sft;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.generate.Sampler;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.ModelFamily;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SFT end to end (config {@code objective = sft}): builds the task's train/test problems, the
 * tokenizer and a fresh model (or {@code model_path}), trains with completion-only
 * cross-entropy, evaluates greedy accuracy every {@code trainer.eval_steps}, and reports the
 * final greedy test accuracy ({@code test/accuracy}) with the run directory.
 *
 * <p>Optional keys: {@code model_path} (a checkpoint directory: start from its weights and its
 * tokenizer instead of a fresh model; the {@code model} and {@code tokenizer} groups then only
 * matter for a fresh model) and {@code data.samples_file} (RFT: train on the deduplicated correct
 * responses of a sampling run, {@link RftData}, instead of the task's reference solutions) and
 * {@code chat_template} (prompts rendered through a chat template, {@link
 * dev.stepwise.task.ChatPromptTask}; the loss stays on the target and eos only); {@code lora}
 * (train a LoRA adapter on the frozen model, docs/lora.md; checkpoints then hold the adapter).
 */
public final class SftJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(SftJob.class);
  private final Registry<TaskFactory> tasks;
  private final Registry<ModelFamily> families;

  /** Injected. */
  @Inject
  public SftJob(Registry<TaskFactory> tasks, Registry<ModelFamily> families) {
    this.tasks = tasks;
    this.families = families;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    TrainerConfig trainerCfg = cfg.bind("trainer", TrainerConfig.class);
    OptimConfig optim = cfg.bind("optim", OptimConfig.class);
    EvalConfig eval = cfg.bind("eval", EvalConfig.class);
    TestConfig test = cfg.bind("test", TestConfig.class);
    // model.path: a Hugging Face directory (its config.json is the shape); else a fresh model of model.*
    Path hfPath = c.hasPath("model.path") ? Path.of(c.getString("model.path")) : null;
    ModelConfig modelCfg = hfPath != null ? null : cfg.bind("model", ModelConfig.class);
    TokenizerConfig tokCfg = cfg.bind("tokenizer", TokenizerConfig.class);
    ModelFamily family = hfPath != null ? null : families.get(modelCfg.family(), Origins.where(c, "model.family"));

    List<Problem> train = task.problems("train", 0);
    List<Problem> testAll = task.problems("test", 0);
    EvalSets sets = EvalSets.of(task, eval, test);
    List<Problem> evalSet = sets.eval();
    List<Problem> testSet = sets.test();
    Path init = c.hasPath("model_path") ? Path.of(c.getString("model_path")) : hfPath;
    task = dev.stepwise.task.ChatPromptTask.wrap(task, dev.stepwise.chat.ChatTemplates.fromConfig(cfg, init));
    Tokenizer tok = init != null ? dev.stepwise.model.Tokenizers.load(init) : TokenizerSetup.build(tokCfg, task, train, testAll);
    modelCfg = init != null ? ModelCheckpoint.readConfig(init) : modelCfg.withVocabSize(tok.vocabSize());
    LOG.info("Task {}: {} train / {} test problems; vocab {}", task.name(), train.size(), testAll.size(), tok.vocabSize());

    try (NDManager manager = NDManager.newBaseManager()) {
      CausalLM model = dev.stepwise.model.lora.LoraSetup.apply(cfg,
          init != null ? ModelCheckpoint.load(init, manager) : family.create(modelCfg, manager, trainerCfg.seed()), init, trainerCfg.seed());
      if (c.hasPathOrNull("data.samples_file") && c.getIsNull("data.samples_file")) {
        throw new dev.stepwise.config.UserError("data.samples_file is null (" + Origins.where(c, "data") + "); set it to a sampler.jar samples.jsonl for RFT");
      }
      SftData data = c.hasPath("data.samples_file")
          ? RftData.tokenize(RftData.correctResponses(Path.of(c.getString("data.samples_file")), task), tok, modelCfg.nPositions())
          : SftData.of(task, train, tok, modelCfg.nPositions());
      if (c.hasPath("data.samples_file")) {
        LOG.info("RFT: {} deduplicated correct responses from {}", data.size(), c.getString("data.samples_file"));
      }
      if (data.truncated() > 0) {
        LOG.warn("{} of {} examples were longer than n_positions={} and were truncated", data.truncated(), data.size(), modelCfg.nPositions());
      }
      Sampler sampler = new Sampler(model, tok, eval.batchSize());
      CheckpointHook hook =
          new CheckpointHook() {
            @Override
            public void save(Path dir) throws java.io.IOException {
              ModelCheckpoint.save(dir, model, tok);
            }

            @Override
            public void load(Path dir) throws java.io.IOException {
              ModelCheckpoint.loadInto(dir, model);
            }
          };
      TrainResult result =
          new Trainer<>(trainerCfg, optim, model.parameters(), new SftObjective(model), data, hook, ctx.dir().path())
              .withEvaluator(new GreedyAccuracy(task, evalSet, sampler, eval.maxTokens(), "eval", tok, modelCfg.nPositions()))
              .withTrackers(List.of(ctx.tracker()))
              .train();
      Map<String, Double> testMetrics = new GreedyAccuracy(task, testSet, sampler, eval.maxTokens(), "test", tok, modelCfg.nPositions()).evaluate(result.globalStep());
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("global_step", result.globalStep());
      summary.put("train/loss", result.finalLoss());
      summary.putAll(testMetrics);
      summary.put("checkpoint", String.valueOf(result.lastCheckpoint()));
      ctx.tracker().summary(summary);
      double acc = testMetrics.get("test/accuracy");
      int n = testSet.size();
      System.out.printf(
          "Test accuracy: %.4f (%d/%d greedy, %s %s)%nRun directory: %s%nCheckpoint: %s%n",
          acc, Math.round(acc * n), n, task.name(), "test", ctx.dir().path().toAbsolutePath(), result.lastCheckpoint());
    }
  }
}
