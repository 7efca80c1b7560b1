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
 * {@link SampleRecord} per problem, flushed as it goes; a re-run on the same output file skips
 * finished ids, so a killed job resumes without duplicates. Ends with a summary over the whole
 * file: {@code sample/pass@n} (any completion correct), {@code sample/maj@n} (the most frequent
 * answer correct, ties to the earliest) and {@code sample/mean_accuracy}, each in [0, 1].
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
    Task task = tasks.get(c.getString("task.name"), Origins.where(c, "task.name")).create(cfg);
    SampleConfig sc = cfg.bind("sample", SampleConfig.class);
    SamplingParams params = cfg.bind("api.vllm_params", SamplingParams.class);
    if (sc.modelPath() == null || !Files.isDirectory(Path.of(sc.modelPath()))) {
      throw new UserError("sample.model_path: no checkpoint directory at '" + sc.modelPath() + "' (" + Origins.where(c, "sample") + ")");
    }
    Path out = sc.outputFile() == null ? ctx.dir().path().resolve("samples.jsonl") : Path.of(sc.outputFile());
    List<Problem> problems = task.problems(sc.split(), sc.limit());
    Map<String, Problem> byId = new LinkedHashMap<>();
    problems.forEach(p -> byId.put(p.id(), p));
    try (NDManager manager = NDManager.newBaseManager();
        JsonlAppender sink = JsonlAppender.open(out)) {
      Set<String> done = sink.existingIds("id");
      List<Problem> todo = problems.stream().filter(p -> !done.contains(p.id())).toList();
      LOG.info("Sampling {} of {} problems (n={}) into {}; {} already done", todo.size(), problems.size(), params.n(), out, done.size());
      Path model = Path.of(sc.modelPath());
      Tokenizer tok = Tokenizers.load(model);
      CausalLM lm = ModelCheckpoint.load(model, manager);
      Sampler sampler = new Sampler(lm, tok, Math.max(1, sc.batchSize()));
      try (ProgressBar bar = new ProgressBar("sample", todo.size())) {
        for (int i = 0; i < todo.size(); i += sc.batchSize()) {
          List<Problem> chunk = todo.subList(i, Math.min(todo.size(), i + sc.batchSize()));
          List<String> prompts = chunk.stream().map(task::prompt).toList();
          List<List<Completion>> outs = sampler.generate(prompts, params);
          for (int k = 0; k < chunk.size(); k++) {
            List<String> responses = new ArrayList<>();
            List<String> preds = new ArrayList<>();
            for (Completion comp : outs.get(k)) {
              responses.add(comp.text());
              preds.add(task.extractAnswer(comp.text()).orElse(""));
            }
            Problem p = chunk.get(k);
            sink.append(new SampleRecord(p.id(), prompts.get(k), p.label(), responses, preds));
          }
          bar.stepBy(chunk.size());
        }
      }
      Map<String, Object> summary = SampleSummary.of(JsonlReader.readAll(out, SampleRecord.class), byId, task);
      ctx.tracker().summary(summary);
      System.out.printf("Samples: %s%nSummary: %s%n", out.toAbsolutePath(), summary);
    }
  }
}
