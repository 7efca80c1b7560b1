package dev.stepwise.preference.dpo;

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
import dev.stepwise.preference.data.PairData;
import dev.stepwise.preference.data.PairFiles;
import dev.stepwise.preference.data.PairSplit;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.preference.loss.DpoLoss;
import dev.stepwise.preference.loss.DpoLosses;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DPO end to end (config {@code objective = dpo}): loads the policy and its tokenizer from {@code
 * dpo.model_path}, the pairs from {@code dpo.train_file} (held-out pairs from {@code
 * dpo.eval_file} or {@code dpo.eval_fraction} of the problem ids), the frozen reference model
 * from {@code dpo.ref_model_path} (default: the policy's initial checkpoint) — scored once and
 * cached when {@code dpo.precompute_ref_log_probs} — and trains {@link DpoObjective} with the
 * generic {@link Trainer}. Every evaluation logs the objective's metrics on the held-out pairs
 * ({@code eval/loss}, {@code eval/rewards/accuracies}, ...) and, when {@code eval.num_problems >
 * 0}, greedy accuracy on the task's test problems; the run ends with {@code test/accuracy}.
 */
public final class DpoJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(DpoJob.class);
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public DpoJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    DpoConfig dc = cfg.bind("dpo", DpoConfig.class);
    TrainerConfig trainerCfg = cfg.bind("trainer", TrainerConfig.class);
    OptimConfig optim = cfg.bind("optim", OptimConfig.class);
    EvalConfig eval = cfg.bind("eval", EvalConfig.class);
    TestConfig test = cfg.bind("test", TestConfig.class);
    Task task = TaskFactory.fromConfig(tasks, cfg);
    Path modelPath = requireDir(dc.modelPath(), "dpo.model_path", cfg);
    Path refPath = dc.refModelPath() == null ? modelPath : requireDir(dc.refModelPath(), "dpo.ref_model_path", cfg);
    if (dc.trainFile() == null) {
      throw new UserError("dpo.train_file is not set (" + cfg.where("dpo") + "); build pairs with sampler.jar job=pairs");
    }
    DpoLoss loss = DpoLosses.of(dc.lossType(), dc.labelSmoothing(), dc.ipoAverageLogProbs());

    List<PreferencePair> all = PairFiles.read(Path.of(dc.trainFile()));
    PairSplit split = dc.evalFile() != null
        ? new PairSplit(all, PairFiles.read(Path.of(dc.evalFile())))
        : PairSplit.byId(all, dc.evalFraction(), trainerCfg.seed());
    Tokenizer tok = Tokenizers.load(modelPath);

    try (NDManager manager = NDManager.newBaseManager()) {
      CausalLM policy = dev.stepwise.model.lora.LoraSetup.apply(cfg, ModelCheckpoint.load(modelPath, manager), modelPath, trainerCfg.seed());
      // LoRA without dpo.ref_model_path: the reference is the policy's base with the adapter off (TRL's PEFT path), no second copy
      CausalLM sharedRef = dc.refModelPath() == null ? dev.stepwise.model.lora.LoraSetup.referenceOf(policy) : null;
      int ctxLen = policy.config().nPositions();
      PairData train = PairData.of(split.train(), tok, ctxLen);
      PairData evalPairs = split.eval().isEmpty() ? null : PairData.of(split.eval(), tok, ctxLen);
      LOG.info("DPO ({}, beta {}): {} train pairs, {} held-out pairs; {} dropped (prompt fills the context)",
          loss.name(), dc.beta(), train.size(), evalPairs == null ? 0 : evalPairs.size(),
          train.dropped() + (evalPairs == null ? 0 : evalPairs.dropped()));
      CausalLM reference = null;
      if (dc.precomputeRefLogProbs()) {
        Path cacheDir = dc.refCacheDir() == null ? ctx.dir().path().resolve("ref_logps") : Path.of(dc.refCacheDir());
        precompute(refPath, sharedRef, cacheDir, train, trainerCfg.perDeviceTrainBatchSize(), loss.averagesLogProbs(), manager);
        if (evalPairs != null) {
          precompute(refPath, sharedRef, cacheDir, evalPairs, trainerCfg.perDeviceTrainBatchSize(), loss.averagesLogProbs(), manager);
        }
      } else if (sharedRef != null) {
        reference = sharedRef;
      } else {
        reference = ModelCheckpoint.load(refPath, manager);
        reference.setTrainable(false);
      }
      EvalSets sets = EvalSets.of(task, eval, test);
      Sampler sampler = new Sampler(policy, tok, eval.batchSize());
      CheckpointHook hook = new CheckpointHook() {
        @Override
        public void save(Path dir) throws IOException {
          ModelCheckpoint.save(dir, policy, tok);
        }

        @Override
        public void load(Path dir) throws IOException {
          ModelCheckpoint.loadInto(dir, policy);
        }
      };
      Trainer<dev.stepwise.preference.data.PairBatch> trainer =
          new Trainer<>(trainerCfg, optim, policy.parameters(),
              new DpoObjective(policy, reference, loss, dc.beta(), dc.rpoAlpha()), train, hook, ctx.dir().path())
              .withTrackers(List.of(ctx.tracker()));
      if (evalPairs != null) {
        trainer.withEvalData(evalPairs);
      }
      if (eval.numProblems() > 0) {
        trainer.withEvaluator(new GreedyAccuracy(task, sets.eval(), sampler, eval.maxTokens(), "eval", tok, ctxLen));
      }
      TrainResult result = trainer.train();
      List<Problem> testSet = sets.test();
      Map<String, Double> testMetrics =
          new GreedyAccuracy(task, testSet, sampler, eval.maxTokens(), "test", tok, ctxLen).evaluate(result.globalStep());
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("global_step", result.globalStep());
      summary.put("train/loss", result.finalLoss());
      summary.putAll(result.lastEval());
      summary.putAll(testMetrics);
      summary.put("checkpoint", String.valueOf(result.lastCheckpoint()));
      ctx.tracker().summary(summary);
      double acc = testMetrics.get("test/accuracy");
      System.out.printf("Test accuracy: %.4f (%d/%d greedy, %s test)%nHeld-out rewards/accuracies: %s%nRun directory: %s%nCheckpoint: %s%n",
          acc, Math.round(acc * testSet.size()), testSet.size(), task.name(),
          result.lastEval().getOrDefault("eval/rewards/accuracies", Double.NaN),
          ctx.dir().path().toAbsolutePath(), result.lastCheckpoint());
    }
  }

  /** Attaches cached (or freshly computed, then cached) reference log-probabilities to {@code data}. */
  static void precompute(Path refPath, Path cacheDir, PairData data, int batchSize, boolean average, NDManager manager)
      throws IOException {
    precompute(refPath, null, cacheDir, data, batchSize, average, manager);
  }

  /**
   * As {@link #precompute(Path, Path, PairData, int, boolean, NDManager)}; {@code shared}, when
   * not null, is the reference model already in memory (a LoRA policy's adapter-off view of the
   * weights at {@code refPath}) and is used instead of loading {@code refPath}.
   */
  static void precompute(Path refPath, CausalLM shared, Path cacheDir, PairData data, int batchSize, boolean average,
      NDManager manager) throws IOException {
    Path weights = ModelCheckpoint.isAdapterOnly(refPath)
        ? refPath.resolve(dev.stepwise.model.lora.PeftAdapter.WEIGHTS) : refPath.resolve(ModelCheckpoint.WEIGHTS);
    String key = ReferenceCache.key(data, weights, average);
    float[][] v = ReferenceCache.getOrCompute(cacheDir, key, () -> {
      if (shared != null) {
        return ReferenceLogProbs.compute(shared, data, batchSize, average);
      }
      try (NDManager refManager = manager.newSubManager()) {
        CausalLM ref = ModelCheckpoint.load(refPath, refManager);
        ref.setTrainable(false);
        try {
          return ReferenceLogProbs.compute(ref, data, batchSize, average);
        } finally {
          ref.close();
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    data.withReference(v[0], v[1]);
  }

  private static Path requireDir(String path, String key, ComposedConfig cfg) {
    if (path == null || !Files.isDirectory(Path.of(path))) {
      throw new UserError(key + ": no checkpoint directory at '" + path + "' (" + cfg.where(key.substring(0, key.indexOf('.'))) + ")");
    }
    return Path.of(path);
  }
}
