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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pair builder {@code first_pit}: Self-Explore's fine-grained pairs (Hwang et al. 2024). Reads
 * {@code pairs.samples_file}, forms Self-Explore's outcome pairs ({@link #rejected}: per problem,
 * each distinct correct response with the unused incorrect response farthest from it in edit
 * distance), explores the rejected side of each with the checkpoint {@code pairs.explorer_path}
 * and emits one pair per first pit ({@link FirstPit} has the rules). Summary: {@link
 * FirstPit#run}'s counts plus {@code pairs/problems}, {@code pairs/problems_all_wrong}, {@code
 * pairs/incorrect_unpaired} (distinct incorrect responses left without a correct partner, never
 * explored) and {@code pairs/explore_seconds}.
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
    Map<String, Long> counts = new LinkedHashMap<>();
    List<FirstPit.Rejected> rejected = rejected(JsonlReader.readAll(Path.of(fc.samplesFile()), SampleRecord.class), task,
        fc.limit(), counts);
    SamplingParams params = SamplingParams.defaults().withTemperature(fc.temperature()).withMaxTokens(fc.maxTokens());
    long t0 = System.nanoTime();
    Map<String, Object> summary;
    try (SamplerExplorer explorer = SamplerExplorer.load(Path.of(fc.explorerPath()), params, fc.batchSize() * fc.k())) {
      LOG.info("Exploring the rejected side of {} outcome pairs (k={}) with {}", rejected.size(), fc.k(), fc.explorerPath());
      summary = new FirstPit(task, explorer, settings).run(rejected, out);
    }
    counts.forEach((key, v) -> summary.put("pairs/" + key, v));
    summary.put("pairs/explore_seconds", (System.nanoTime() - t0) / 1e9);
    return summary;
  }

  /**
   * Self-Explore's outcome pairs, whose rejected sides are explored (the reference's {@code
   * collect_dpo_gsm8k}, {@code gen/get_dpo_data.py} lines 29–46): per problem, the distinct
   * correct responses (equal after trimming white space, the RFT data's rule; first kept) in
   * sampling order; the pool is the problem's distinct incorrect responses. Each correct response
   * in turn, trimmed, is the chosen; its rejected is the pool's response with the largest
   * Levenshtein distance to it (ties: the later in sampling order, as the reference's stable sort
   * then {@code [-1]}), which leaves the pool. A problem stops pairing when its pool is empty; a
   * problem without a correct response gives none.
   *
   * @param samples sampled problems (a record lacking id, prompt, label or response is a {@link
   *     UserError})
   * @param limit keep the first this many pairs (0 = all)
   * @param counts receives {@code problems}, {@code problems_all_wrong}, {@code
   *     incorrect_unpaired} (added to what it holds)
   * @return the pairs' rejected responses with their chosen, in file order
   */
  public static List<FirstPit.Rejected> rejected(List<SampleRecord> samples, Task task, int limit, Map<String, Long> counts) {
    LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
    List<FirstPit.Rejected> out = new ArrayList<>();
    for (String key : List.of("problems", "problems_all_wrong", "incorrect_unpaired")) {
      counts.putIfAbsent(key, 0L);
    }
    for (SampleRecord r : samples) {
      if (r.id() == null || r.prompt() == null || r.label() == null || r.response() == null) {
        throw new UserError("sample record " + r.id() + " lacks one of id, prompt, label, response");
      }
      counts.merge("problems", 1L, Long::sum);
      Problem p = new Problem(r.id(), r.prompt(), "", r.label());
      Map<String, String> good = new LinkedHashMap<>();
      List<String> pool = new ArrayList<>();
      for (String resp : r.response()) {
        if (task.isCorrect(resp, p)) {
          good.putIfAbsent(resp.strip(), resp.strip());
        } else if (!pool.contains(resp)) {
          pool.add(resp);
        }
      }
      if (good.isEmpty()) {
        counts.merge("problems_all_wrong", 1L, Long::sum);
      }
      for (String chosen : good.values()) {
        if (pool.isEmpty() || (limit > 0 && out.size() >= limit)) {
          break;
        }
        int far = 0;
        int farDistance = -1;
        for (int i = 0; i < pool.size(); i++) {
          int d = distance.apply(chosen, pool.get(i));
          if (d >= farDistance) {
            far = i;
            farDistance = d;
          }
        }
        out.add(new FirstPit.Rejected(r.id(), r.prompt(), r.label(), pool.remove(far), chosen));
      }
      counts.merge("incorrect_unpaired", (long) pool.size(), Long::sum);
      if (limit > 0 && out.size() >= limit) {
        return out;
      }
    }
    return out;
  }
}
