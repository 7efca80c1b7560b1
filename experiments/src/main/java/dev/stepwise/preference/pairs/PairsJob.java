package dev.stepwise.preference.pairs;

import com.google.inject.Inject;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Origins;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.inject.Registry;
import dev.stepwise.run.RunContext;
import dev.stepwise.run.RunJob;
import dev.stepwise.task.Task;
import dev.stepwise.task.TaskFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampler job {@code pairs}: runs the {@link PairBuilder} named by {@code pairs.builder} and
 * writes its pairs to {@code pairs.output_file} (default {@code <run dir>/pairs.jsonl}). The
 * pairs go to a temporary file that replaces the output only when the builder finishes, so the
 * output is always a complete set from one run. Summary: the builder's counts plus {@code
 * pairs/file}.
 */
public final class PairsJob implements RunJob {
  private static final Logger LOG = LoggerFactory.getLogger(PairsJob.class);
  private final Registry<TaskFactory> tasks;
  private final Registry<PairBuilder> builders;

  /** Injected. */
  @Inject
  public PairsJob(Registry<TaskFactory> tasks, Registry<PairBuilder> builders) {
    this.tasks = tasks;
    this.builders = builders;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    ComposedConfig cfg = ctx.config();
    var c = cfg.config();
    Task task = TaskFactory.fromConfig(tasks, cfg);
    PairBuilder builder = builders.get(c.getString("pairs.builder"), Origins.where(c, "pairs.builder"));
    Path out = c.hasPath("pairs.output_file") ? Path.of(c.getString("pairs.output_file")) : ctx.dir().path().resolve("pairs.jsonl");
    Path abs = out.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling(abs.getFileName() + ".partial");
    Files.deleteIfExists(tmp);
    Map<String, Object> summary = new LinkedHashMap<>();
    try (JsonlAppender sink = JsonlAppender.open(tmp)) {
      summary.putAll(builder.build(cfg, task, sink::append));
    }
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    summary.put("pairs/file", abs.toString());
    ctx.tracker().summary(summary);
    LOG.info("pairs written to {}", abs);
    System.out.printf("Pairs: %s%nSummary: %s%n", abs, summary);
  }
}
