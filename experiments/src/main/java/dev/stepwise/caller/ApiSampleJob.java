package dev.stepwise.caller;

import com.google.inject.Inject;
import dev.stepwise.api.ApiClient;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.inject.Registry;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.sample.SampleSummary;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code api-caller.jar job=sample}: samples {@code api.vllm_params.n} completions per problem
 * through an OpenAI-compatible API and writes exactly {@code sampler.jar}'s {@link SampleRecord}
 * JSONL ({@code {"id","prompt","label","response":[..],"pred":[..]}}), so every downstream job
 * runs unchanged on API outputs.
 *
 * <p>Up to {@code api.caller.client.concurrency} problems are in flight; each finished problem is
 * appended (and handed to the OS) at once, in completion order. Problems that still fail after
 * the last retry go to {@code failed.jsonl} as {@link FailedItem}s. A re-run on the same output
 * skips the ids already there (failed ones are tried again), so a killed caller resumes with no
 * duplicate and no loss. Ends with {@link SampleSummary}'s accuracies plus {@code api/requests},
 * {@code api/retries}, {@code api/failed}, {@code api/prompt_tokens} and {@code
 * api/completion_tokens} (totals of the servers' {@code usage}).
 */
public final class ApiSampleJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(ApiSampleJob.class);
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public ApiSampleJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    ApiSampleConfig sc = cfg.bind("sample", ApiSampleConfig.class);
    CallerConfig cc = cfg.bind("api.caller", CallerConfig.class);
    SamplingParams params = cfg.bind("api.vllm_params", SamplingParams.class);
    Path out = sc.outputFile() == null ? ctx.dir().path().resolve("samples.jsonl") : Path.of(sc.outputFile());
    Path failedPath = ApiFanOut.failedFile(out, sc.failedFile());
    List<Problem> problems = task.problems(sc.split(), sc.limit());
    Map<String, Problem> byId = new LinkedHashMap<>();
    problems.forEach(p -> byId.put(p.id(), p));
    ApiFanOut.Outcome outcome;
    Map<String, Long> apiStats;
    try (JsonlAppender sink = JsonlAppender.open(out);
        JsonlAppender failed = JsonlAppender.open(failedPath);
        ApiClient client = new ApiClient(cc.client(), System.getenv())) {
      Set<String> done = sink.existingIds("id");
      List<Problem> todo = problems.stream().filter(p -> !done.contains(p.id())).toList();
      ApiCompletions api = new ApiCompletions(client, cc);
      LOG.info("Sampling {} of {} problems (n={}) through {} (model {}) into {}; {} already done",
          todo.size(), problems.size(), params.n(), client, api.model(), out, done.size());
      outcome = ApiFanOut.run(api, "api-sample", todo, task::prompt, p -> params, Problem::id, (p, r) -> {
        List<String> preds = r.texts().stream().map(t -> task.extractAnswer(t).orElse("")).toList();
        sink.append(new SampleRecord(p.id(), task.prompt(p), p.label(), r.texts(), preds));
      }, failed);
      sink.stopPoint();
      apiStats = client.stats();
    }
    Map<String, Object> summary = new LinkedHashMap<>(SampleSummary.of(JsonlReader.readAll(out, SampleRecord.class), byId, task));
    summary.putAll(apiStats);
    summary.put("api/failed_items", outcome.failed());
    outcome.putUsage(summary);
    ctx.tracker().summary(summary);
    System.out.printf("Samples: %s%nFailed: %s (%d this run)%nSummary: %s%n", out.toAbsolutePath(), failedPath.toAbsolutePath(), outcome.failed(), summary);
  }
}
