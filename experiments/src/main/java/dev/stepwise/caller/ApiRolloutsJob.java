package dev.stepwise.caller;

import com.google.inject.Inject;
import dev.stepwise.api.ApiClient;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.inject.Registry;
import dev.stepwise.reward.synth.McLabels;
import dev.stepwise.reward.synth.RolloutRecord;
import dev.stepwise.reward.synth.RolloutRunner;
import dev.stepwise.reward.synth.RolloutsJob;
import dev.stepwise.reward.synth.StateRecord;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code api-caller.jar job=rollouts}: the local {@link RolloutsJob} with the continuations drawn
 * through an OpenAI-compatible API (Jiao et al. 2024, Sec. 3.2, run as the reference does on
 * vLLM services). For every state of {@code rollouts.states_file} it sends {@code prompt + state}
 * with {@code n = k = api.vllm_params.n} through {@link ApiCompletions#complete}, up to {@code
 * api.caller.client.concurrency} states in flight, labels the {@code k} texts with {@link
 * McLabels#inter} ({@code value} in [0, k], {@code mc_value = value / k}) and appends the same
 * {@link RolloutRecord} JSONL as the local job, one flushed line per state in completion order.
 * With {@code include_full} the responses of {@code rollouts.samples_file} are first added as
 * {@link McLabels#full} records.
 *
 * <p>Resume: records whose (id, resp_id, step_id) is in the output ({@link
 * RolloutRunner#doneKeys}) are not requested again. States that still fail after the last retry
 * (including a prompt over the server's context, HTTP 400) go to {@code failed.jsonl} as {@link
 * FailedItem}s with id {@code <id>/<resp_id>/<step_id>} and are tried again by a re-run. With
 * {@code api.vllm_params.seed} set, the state at input position {@code i} is requested with seed
 * {@code seed + i * 0x9E3779B97F4A7C15}, so a resumed run asks for what the killed run asked.
 *
 * <p>Summary: {@link RolloutsJob#summary} over the whole output, plus {@code rollouts/generated},
 * {@code rollouts/failed}, the client's {@code api/*} counters and the token totals.
 */
public final class ApiRolloutsJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRolloutsJob.class);
  private static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public ApiRolloutsJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    ApiRolloutsConfig rc = cfg.bind("rollouts", ApiRolloutsConfig.class);
    CallerConfig cc = cfg.bind("api.caller", CallerConfig.class);
    SamplingParams params = cfg.bind("api.vllm_params", SamplingParams.class);
    RolloutsJob.requireFile(rc.statesFile(), "rollouts.states_file", c);
    List<StateRecord> states = JsonlReader.readAll(Path.of(rc.statesFile()), StateRecord.class);
    List<RolloutRecord> full = new ArrayList<>();
    if (rc.includeFull() && rc.samplesFile() != null) {
      RolloutsJob.requireFile(rc.samplesFile(), "rollouts.samples_file", c);
      full = McLabels.fullRecords(JsonlReader.readAll(Path.of(rc.samplesFile()), SampleRecord.class), task, params.n());
    }
    Path out = rc.outputFile() == null ? ctx.dir().path().resolve("rollouts.jsonl") : Path.of(rc.outputFile());
    Path failedPath = ApiFanOut.failedFile(out, rc.failedFile());
    JsonlAppender[] dropped = new JsonlAppender[1];
    ApiFanOut.Outcome outcome;
    Map<String, Long> apiStats;
    long t0 = System.nanoTime();
    try (JsonlAppender sink = JsonlAppender.open(out);
        JsonlAppender failed = JsonlAppender.open(failedPath);
        ApiClient client = new ApiClient(cc.client(), System.getenv())) {
      Set<String> done = RolloutRunner.doneKeys(sink.file());
      for (RolloutRecord f : full) {
        if (done.add(f.key())) {
          sink.append(f);
        }
      }
      ApiCompletions api = new ApiCompletions(client, cc);
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < states.size(); i++) {
        if (done.add(states.get(i).key())) {
          todo.add(i);
        }
      }
      LOG.info("Rolling out {} of {} states (k={}) through {} (model {}) into {}",
          todo.size(), states.size(), params.n(), client, api.model(), out);
      outcome = ApiFanOut.run(api, "api-rollouts", todo,
          i -> states.get(i).prompt() + states.get(i).state(),
          i -> params.seed() == null ? params : params.withSeed(params.seed() + i * SEED_STRIDE),
          i -> states.get(i).id() + "/" + states.get(i).respId() + "/" + states.get(i).stepId(),
          (i, r) -> {
            synchronized (dropped) {
              RolloutRunner.label(states.get(i), r.texts(), task, sink, dropped);
            }
          },
          failed);
      sink.stopPoint();
      apiStats = client.stats();
    } finally {
      if (dropped[0] != null) {
        dropped[0].close();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> summary = new LinkedHashMap<>(
        RolloutsJob.summary(JsonlReader.readAll(out, RolloutRecord.class), task, RolloutRunner.droppedCount(out)));
    summary.put("rollouts/generated", outcome.completed());
    summary.put("rollouts/failed", outcome.failed());
    summary.put("rollouts/states_per_second", outcome.completed() == 0 ? 0.0 : outcome.completed() / Math.max(seconds, 1e-9));
    summary.putAll(apiStats);
    outcome.putUsage(summary);
    ctx.tracker().summary(summary);
    System.out.printf("Rollouts: %s%nFailed: %s (%d this run)%nSummary: %s%n", out.toAbsolutePath(), failedPath.toAbsolutePath(), outcome.failed(), summary);
  }
}
