package dev.stepwise.reward.synth;

import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.inject.Registry;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampler job {@code states}: reads a samples file, samples intermediate states from every
 * response with {@link StateSampler} (the task's step splitting), and writes them as {@link
 * StateRecord}s to {@code states.output_file} (plus {@code split_num} shards). Summary: {@code
 * states/responses}, {@code states/states}, {@code states/mean_steps} (steps per response).
 */
public final class StatesJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(StatesJob.class);
  private final Registry<TaskFactory> tasks;

  /** Injected. */
  @Inject
  public StatesJob(Registry<TaskFactory> tasks) {
    this.tasks = tasks;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    StatesConfig sc = cfg.bind("states", StatesConfig.class);
    if (sc.inputFile() == null || !Files.isRegularFile(Path.of(sc.inputFile()))) {
      throw new UserError("states.input_file: no samples file at '" + sc.inputFile() + "' (" + Origins.where(c, "states") + ")");
    }
    StateSampler sampler = new StateSampler(sc.ratio(), sc.ratioS(), sc.seed());
    List<SampleRecord> samples = JsonlReader.readAll(Path.of(sc.inputFile()), SampleRecord.class);
    List<StateRecord> states = new ArrayList<>();
    long responses = 0;
    long steps = 0;
    for (SampleRecord r : samples) {
      states.addAll(sampler.states(r, task));
      responses += r.response().size();
      for (String resp : r.response()) {
        steps += task.splitSteps(resp).size();
      }
    }
    Path out = sc.outputFile() == null ? ctx.dir().path().resolve("states.jsonl") : Path.of(sc.outputFile());
    JsonlFiles.writeAll(out, states);
    List<List<StateRecord>> shards = StateSampler.shards(states, Math.max(1, sc.splitNum()));
    if (sc.splitNum() > 1) {
      for (int i = 0; i < shards.size(); i++) {
        JsonlFiles.writeAll(JsonlFiles.shardPath(out, i, shards.size()), shards.get(i));
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("states/responses", responses);
    summary.put("states/states", states.size());
    summary.put("states/mean_steps", responses == 0 ? 0.0 : steps / (double) responses);
    ctx.tracker().summary(summary);
    LOG.info("Wrote {} states from {} responses to {}{}", states.size(), responses, out,
        sc.splitNum() > 1 ? " and " + sc.splitNum() + " shards" : "");
    System.out.printf("States: %s%nSummary: %s%n", out.toAbsolutePath(), summary);
  }
}
