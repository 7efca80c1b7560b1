package dev.stepwise.reward.synth;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampler job {@code rollouts}: {@code k = api.vllm_params.n} continuations of every state of
 * {@code rollouts.states_file} from the checkpoint {@code rollouts.model_path}, labelled with
 * {@link McLabels}, plus the {@code full} records of the responses of {@code
 * rollouts.samples_file}; appended to {@code rollouts.output_file} and resumable ({@link
 * RolloutRunner}). Summary (over the whole output file): {@code rollouts/states}, {@code
 * rollouts/full}, {@code rollouts/mean_mc_value} (intermediate states), {@code
 * rollouts/zero_value_fraction}, {@code rollouts/no_answer_rollouts} (rollouts of labelled
 * states without an answer, counted wrong), {@code rollouts/dropped_empty_rollout} (states left
 * unlabelled because a rollout was empty, in {@link RolloutRunner#droppedFile}) and, for this
 * run, {@code rollouts/generated}, {@code rollouts/skipped_too_long}, {@code
 * rollouts/states_per_second}.
 */
public final class RolloutsJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutsJob.class);
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public RolloutsJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    RolloutsConfig rc = cfg.bind("rollouts", RolloutsConfig.class);
    SamplingParams params = cfg.bind("api.vllm_params", SamplingParams.class);
    requireFile(rc.statesFile(), "rollouts.states_file", c);
    if (rc.modelPath() == null || !Files.isDirectory(Path.of(rc.modelPath()))) {
      throw new UserError("rollouts.model_path: no checkpoint directory at '" + rc.modelPath() + "' (" + Origins.where(c, "rollouts") + ")");
    }
    List<StateRecord> states = JsonlReader.readAll(Path.of(rc.statesFile()), StateRecord.class);
    List<RolloutRecord> full = new ArrayList<>();
    if (rc.includeFull() && rc.samplesFile() != null) {
      requireFile(rc.samplesFile(), "rollouts.samples_file", c);
      full = McLabels.fullRecords(JsonlReader.readAll(Path.of(rc.samplesFile()), SampleRecord.class), task, params.n());
    }
    Path out = rc.outputFile() == null ? ctx.dir().path().resolve("rollouts.jsonl") : Path.of(rc.outputFile());
    int batch = Math.max(1, rc.batchSize());
    RolloutRunner.Result result;
    try (NDManager manager = NDManager.newBaseManager();
        JsonlAppender sink = JsonlAppender.open(out)) {
      Path model = Path.of(rc.modelPath());
      Tokenizer tok = Tokenizers.load(model);
      CausalLM lm = ModelCheckpoint.load(model, manager);
      Sampler sampler = new Sampler(lm, tok, batch * params.n());
      RolloutRunner runner = new RolloutRunner(sampler, tok, lm.config().nPositions(), task, params, batch);
      LOG.info("Rolling out {} states (k={}) into {}", states.size(), params.n(), out);
      try (ProgressBar bar = new ProgressBar("rollouts", states.size())) {
        result = runner.run(states, full, sink, bar::stepBy);
      }
    }
    Map<String, Object> summary = summary(JsonlReader.readAll(out, RolloutRecord.class), task, RolloutRunner.droppedCount(out));
    summary.put("rollouts/generated", result.generated());
    summary.put("rollouts/skipped_too_long", result.skipped());
    summary.put("rollouts/states_per_second", result.statesPerSecond());
    ctx.tracker().summary(summary);
    System.out.printf("Rollouts: %s%nSummary: %s%n", out.toAbsolutePath(), summary);
  }

  /**
   * Also the summary of {@code api-caller.jar job=rollouts}.
   *
   * @param records a rollouts file's records
   * @param task judges which completions hold no answer
   * @param dropped the states of the file's {@link RolloutRunner#droppedFile}
   * @return counts and mean labels: {@code rollouts/states}, {@code rollouts/full}, {@code
   *     rollouts/mean_mc_value} in [0, 1] and {@code rollouts/zero_value_fraction} in [0, 1] (the
   *     last two over intermediate states), {@code rollouts/no_answer_rollouts} (completions
   *     without an answer, {@link McLabels#noAnswerRollouts}), {@code
   *     rollouts/dropped_empty_rollout} = {@code dropped}
   */
  public static Map<String, Object> summary(List<RolloutRecord> records, Task task, int dropped) {
    long noAnswer = 0;
    int inter = 0;
    int fullCount = 0;
    int zero = 0;
    double mc = 0;
    for (RolloutRecord r : records) {
      if (StateRecord.FULL.equals(r.type())) {
        fullCount++;
      } else {
        inter++;
        mc += r.mcValue();
        noAnswer += McLabels.noAnswerRollouts(r, task);
        zero += r.value() == 0 ? 1 : 0;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rollouts/states", inter);
    m.put("rollouts/full", fullCount);
    m.put("rollouts/mean_mc_value", inter == 0 ? 0.0 : mc / inter);
    m.put("rollouts/zero_value_fraction", inter == 0 ? 0.0 : zero / (double) inter);
    m.put("rollouts/no_answer_rollouts", noAnswer);
    m.put("rollouts/dropped_empty_rollout", dropped);
    return m;
  }

  /**
   * @param file the path from the config (may be null)
   * @param key its full config key ({@code section.name})
   * @throws UserError naming the key and its origin when {@code file} is null or no regular file
   */
  public static void requireFile(String file, String key, com.typesafe.config.Config c) {
    if (file == null || !Files.isRegularFile(Path.of(file))) {
      throw new UserError(key + ": no file at '" + file + "' (" + Origins.where(c, key.substring(0, key.indexOf('.'))) + ")");
    }
  }
}
