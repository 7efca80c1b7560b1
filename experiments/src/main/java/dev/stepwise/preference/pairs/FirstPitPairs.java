package dev.stepwise.preference.pairs;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pair builder {@code first_pit}: Self-Explore's fine-grained pairs (Hwang et al. 2024). Reads
 * {@code pairs.samples_file}, takes every distinct incorrect response of every problem (judged by
 * the task's answer check against {@code label}), explores its step prefixes with the checkpoint
 * {@code pairs.explorer_path} and emits one pair per first pit ({@link FirstPit} has the rules).
 * Summary: {@link FirstPit#run}'s counts plus {@code pairs/explore_seconds}.
 */
public final class FirstPitPairs implements PairBuilder {
  /** Registry name. */
  public static final String NAME = "first_pit";
  private static final Logger LOG = LoggerFactory.getLogger(FirstPitPairs.class);

  @Override
  public Map<String, Object> build(ComposedConfig cfg, Task task, Consumer<PreferencePair> out) throws Exception {
    FirstPitConfig fc = cfg.bind("pairs", FirstPitConfig.class);
    if (fc.samplesFile() == null || !Files.isRegularFile(Path.of(fc.samplesFile()))) {
      throw new UserError("pairs.samples_file: no file at '" + fc.samplesFile() + "' (" + cfg.where("pairs")
          + "); point it at a sampler.jar samples.jsonl");
    }
    if (fc.explorerPath() == null || !Files.isDirectory(Path.of(fc.explorerPath()))) {
      throw new UserError("pairs.explorer_path: no checkpoint directory at '" + fc.explorerPath() + "' ("
          + cfg.where("pairs") + "); point it at the RFT/SFT checkpoint that explores");
    }
    if (fc.limit() < 0) {
      throw new UserError("pairs.limit = " + fc.limit() + " must be >= 0 (0 = all) (" + cfg.where("pairs.limit") + ")");
    }
    FirstPit.Settings settings = new FirstPit.Settings(fc.k(), fc.batchSize(), fc.maxSteps(), FirstPit.Span.parse(fc.rejected()), fc.seed());
    List<FirstPit.Rejected> rejected = rejected(JsonlReader.readAll(Path.of(fc.samplesFile()), SampleRecord.class), task, fc.limit());
    SamplingParams params = SamplingParams.defaults().withTemperature(fc.temperature()).withMaxTokens(fc.maxTokens());
    long t0 = System.nanoTime();
    Map<String, Object> summary;
    try (SamplerExplorer explorer = SamplerExplorer.load(Path.of(fc.explorerPath()), params, fc.batchSize() * fc.k())) {
      LOG.info("Exploring {} rejected responses (k={}) with {}", rejected.size(), fc.k(), fc.explorerPath());
      summary = new FirstPit(task, explorer, settings).run(rejected, out);
    }
    summary.put("pairs/explore_seconds", (System.nanoTime() - t0) / 1e9);
    return summary;
  }

  /**
   * The responses to explore.
   *
   * @param samples sampled problems (a record lacking id, prompt, label or response is a {@link
   *     UserError})
   * @param limit keep the first this many (0 = all)
   * @return every distinct incorrect response of every record, in file order, each with the
   *     record's distinct correct responses as fallback chosen
   */
  public static List<FirstPit.Rejected> rejected(List<SampleRecord> samples, Task task, int limit) {
    List<FirstPit.Rejected> out = new ArrayList<>();
    for (SampleRecord r : samples) {
      if (r.id() == null || r.prompt() == null || r.label() == null || r.response() == null) {
        throw new UserError("sample record " + r.id() + " lacks one of id, prompt, label, response");
      }
      Problem p = new Problem(r.id(), r.prompt(), "", r.label());
      LinkedHashSet<String> good = new LinkedHashSet<>();
      LinkedHashSet<String> bad = new LinkedHashSet<>();
      for (String resp : r.response()) {
        (task.isCorrect(resp, p) ? good : bad).add(resp);
      }
      for (String b : bad) {
        if (limit > 0 && out.size() >= limit) {
          return out;
        }
        out.add(new FirstPit.Rejected(r.id(), r.prompt(), r.label(), b, List.copyOf(good)));
      }
    }
    return out;
  }
}
