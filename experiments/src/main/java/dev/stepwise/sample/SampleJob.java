package dev.stepwise.sample;

import ai.djl.ndarray.NDManager;
import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.inject.Registry;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples {@code api.vllm_params.n} completions per problem from a checkpoint and appends one
 * {@link SampleRecord} per problem, flushed as it goes, with a progress bar. With {@code
 * chat_template} set, prompts are rendered through it ({@link dev.stepwise.task.ChatPromptTask})
 * and records hold the rendered prompt.
 *
 * <p><b>Resume.</b> Problems are cut into batches of {@code sample.batch_size} at fixed positions
 * of the split ({@code [b*batch_size, (b+1)*batch_size)}); batch {@code b} is one sampler call
 * with the seed {@code seed + b * 0x9E3779B97F4A7C15} (no seed: random). A re-run on the same
 * output file skips the batches whose ids are all present, generates a partly written batch
 * again in full (same prompts, same seed, hence the same completions) and appends only its
 * missing ids; the appender drops a line cut by a kill. So a run killed at any point (even
 * {@code kill -9}) and re-run yields exactly the records of an uninterrupted run, never a
 * duplicate. A stop signal ({@code run.stop_signals}) ends the run after the batch in flight,
 * with the file synced (exit 143 for SIGTERM).
 *
 * <p><b>Summary</b> (over the whole file; {@link SampleSummary}): {@code sample/pass@n}, {@code
 * sample/maj@n}, {@code sample/mean_accuracy} and, when greedy decoding is configured ({@code
 * sample.greedy = true}, or greedy sampling parameters), {@code sample/greedy_accuracy}; each in
 * [0, 1].
 */
public final class SampleJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(SampleJob.class);
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public SampleJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    SampleConfig sc = cfg.bind("sample", SampleConfig.class);
    SamplingParams params = cfg.bind("api.vllm_params", SamplingParams.class);
    if (sc.modelPath() == null || !Files.isDirectory(Path.of(sc.modelPath()))) {
      throw new UserError("sample.model_path: no checkpoint directory at '" + sc.modelPath() + "' (" + Origins.where(c, "sample") + ")");
    }
    if (sc.batchSize() < 1) {
      throw new UserError("sample.batch_size must be >= 1, got " + sc.batchSize() + " (" + Origins.where(c, "sample.batch_size") + ")");
    }
    String system = c.hasPath("system_prompt") ? c.getString("system_prompt") : null;
    task = dev.stepwise.task.ChatPromptTask.wrap(task, dev.stepwise.chat.ChatTemplates.fromConfig(cfg, Path.of(sc.modelPath())), system);
    Path out = sc.outputFile() == null ? ctx.dir().path().resolve("samples.jsonl") : Path.of(sc.outputFile());
    Path greedyOut = greedyFile(out);
    boolean greedyPass = Boolean.TRUE.equals(sc.greedy()) && !params.greedy();
    List<Problem> problems = task.problems(sc.split(), sc.limit());
    Map<String, Problem> byId = new LinkedHashMap<>();
    problems.forEach(p -> byId.put(p.id(), p));
    try (NDManager manager = NDManager.newBaseManager()) {
      Path model = Path.of(sc.modelPath());
      Tokenizer tok = Tokenizers.load(model);
      CausalLM lm = ModelCheckpoint.load(model, manager);
      Sampler sampler = new Sampler(lm, tok, Math.max(1, sc.batchSize() * params.n()));
      sampleInto(out, "sample", problems, task, sampler, params, sc.batchSize());
      if (greedyPass) {
        SamplingParams g = new SamplingParams(1, 0.0, 1.0, 0, params.maxTokens(), params.stop(), 0L, false);
        sampleInto(greedyOut, "greedy", problems, task, sampler, g, sc.batchSize());
      }
    }
    Map<String, Object> summary = SampleSummary.of(JsonlReader.readAll(out, SampleRecord.class), byId, task);
    if (greedyPass) {
      summary.put("sample/greedy_accuracy", SampleSummary.firstAccuracy(JsonlReader.readAll(greedyOut, SampleRecord.class), byId, task));
    } else if (params.greedy()) {
      summary.put("sample/greedy_accuracy", SampleSummary.firstAccuracy(JsonlReader.readAll(out, SampleRecord.class), byId, task));
    }
    ctx.tracker().summary(summary);
    System.out.printf("Samples: %s%nSummary: %s%n", out.toAbsolutePath(), summary);
  }

  /** @return {@code <dir>/<stem>.greedy.jsonl} beside {@code out} */
  public static Path greedyFile(Path out) {
    String name = out.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return out.resolveSibling(stem + ".greedy.jsonl");
  }

  /**
   * Appends the records of {@code problems} missing from {@code out}, batch by batch (see the
   * class doc for the batch positions and seeds).
   *
   * @return the number of records appended
   */
  static int sampleInto(
      Path out, String label, List<Problem> problems, Task task, Sampler sampler, SamplingParams params, int batchSize) {
    int appended = 0;
    try (JsonlAppender sink = JsonlAppender.open(out)) {
      Set<String> done = sink.existingIds("id");
      long todo = problems.stream().filter(p -> !done.contains(p.id())).count();
      LOG.info("{}: {} of {} problems to do (n={}) into {}", label, todo, problems.size(), params.n(), out);
      try (ProgressBar bar = new ProgressBar(label, problems.size())) {
        for (int from = 0, b = 0; from < problems.size(); from += batchSize, b++) {
          List<Problem> chunk = problems.subList(from, Math.min(problems.size(), from + batchSize));
          if (chunk.stream().allMatch(p -> done.contains(p.id()))) {
            bar.stepBy(chunk.size());
            continue;
          }
          sink.stopPoint();
          List<String> prompts = chunk.stream().map(task::prompt).toList();
          SamplingParams p = params.seed() == null ? params : params.withSeed(params.seed() + b * 0x9E3779B97F4A7C15L);
          List<List<Completion>> outs = sampler.generate(prompts, p);
          for (int k = 0; k < chunk.size(); k++) {
            Problem pr = chunk.get(k);
            if (!done.add(pr.id())) {
              continue;
            }
            List<String> responses = new ArrayList<>();
            List<String> preds = new ArrayList<>();
            for (Completion comp : outs.get(k)) {
              responses.add(comp.text());
              preds.add(task.extractAnswer(comp.text()).orElse(""));
            }
            sink.append(new SampleRecord(pr.id(), prompts.get(k), pr.label(), responses, preds));
            appended++;
          }
          bar.stepBy(chunk.size());
        }
      }
    }
    return appended;
  }
}
