package dev.stepwise.preference.pairs;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Outcome-supervised pairs (the DPO baseline of Jiao et al. 2024 and of Self-Explore): for each
 * sampled problem, every distinct correct response × every distinct incorrect response, judged
 * by the task's answer check against the record's {@code label}. With {@code
 * max_pairs_per_problem = k > 0} a problem with more than k pairs keeps k of them, drawn without
 * replacement by a generator seeded with {@code (seed, problem id)} and kept in their original
 * (correct-major) order. Pairs carry {@code is_full = true}, {@code chosen_reward = 1}, {@code
 * rejected_reward = 0}. Problems whose responses are all correct or all wrong give no pair.
 */
public final class OutcomePairs implements PairBuilder {
  /** Registry name. */
  public static final String NAME = "outcome";

  @Override
  public Map<String, Object> build(ComposedConfig cfg, Task task, Consumer<PreferencePair> out) {
    OutcomeConfig oc = cfg.bind("pairs", OutcomeConfig.class);
    if (oc.samplesFile() == null) {
      throw new UserError("pairs.samples_file is not set (" + cfg.where("pairs") + "); point it at a sampler.jar samples.jsonl");
    }
    if (oc.maxPairsPerProblem() < 0) {
      throw new UserError("pairs.max_pairs_per_problem = " + oc.maxPairsPerProblem() + " must be >= 0 (0 = all)");
    }
    List<SampleRecord> samples = JsonlReader.readAll(Path.of(oc.samplesFile()), SampleRecord.class);
    return build(samples, task, oc.maxPairsPerProblem(), oc.seed(), out);
  }

  /**
   * The builder on sampled records in memory, judged by {@code task}'s answer check against each
   * record's {@code label}.
   *
   * @param samples sampled problems (a record lacking id, prompt, label or response is a {@link
   *     UserError})
   * @param maxPairsPerProblem cap per problem, 0 = none
   * @param seed seed of the capped draw
   * @param out receives the pairs, problem by problem in input order
   * @return the counts of {@link #pairs}
   */
  public static Map<String, Object> build(
      List<SampleRecord> samples, Task task, int maxPairsPerProblem, long seed, Consumer<PreferencePair> out) {
    List<Judged> judged = new ArrayList<>(samples.size());
    for (SampleRecord r : samples) {
      if (r.id() == null || r.prompt() == null || r.label() == null || r.response() == null) {
        throw new UserError("sample record " + r.id() + " lacks one of id, prompt, label, response");
      }
      Problem p = new Problem(r.id(), r.prompt(), "", r.label());
      List<Boolean> ok = new ArrayList<>(r.response().size());
      r.response().forEach(resp -> ok.add(task.isCorrect(resp, p)));
      judged.add(new Judged(r.id(), r.prompt(), r.response(), ok));
    }
    return pairs(judged, maxPairsPerProblem, seed, out);
  }

  /**
   * Every distinct correct × every distinct incorrect response of each problem (correct-major),
   * optionally capped.
   *
   * @param problems judged responses per problem
   * @param maxPairsPerProblem cap per problem, 0 = none
   * @param seed seed of the capped draw
   * @param out receives the pairs (each a new record), problem by problem in input order
   * @return {@code pairs/pairs}, {@code pairs/problems}, {@code pairs/problems_with_pairs},
   *     {@code pairs/all_correct}, {@code pairs/all_wrong}
   */
  public static Map<String, Object> pairs(
      List<Judged> problems, int maxPairsPerProblem, long seed, Consumer<PreferencePair> out) {
    long pairs = 0;
    int withPairs = 0;
    int allCorrect = 0;
    int allWrong = 0;
    for (Judged r : problems) {
      LinkedHashSet<String> good = new LinkedHashSet<>();
      LinkedHashSet<String> bad = new LinkedHashSet<>();
      for (int i = 0; i < r.responses().size(); i++) {
        (r.correct().get(i) ? good : bad).add(r.responses().get(i));
      }
      if (good.isEmpty() || bad.isEmpty()) {
        allCorrect += bad.isEmpty() && !good.isEmpty() ? 1 : 0;
        allWrong += good.isEmpty() ? 1 : 0;
        continue;
      }
      List<String> c = new ArrayList<>(good);
      List<String> w = new ArrayList<>(bad);
      int total = c.size() * w.size();
      for (int k : chosenIndices(total, maxPairsPerProblem, seed, r.id())) {
        out.accept(new PreferencePair(r.id(), r.prompt(), c.get(k / w.size()), w.get(k % w.size()), true, 1.0, 0.0));
        pairs++;
      }
      withPairs++;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs/pairs", pairs);
    m.put("pairs/problems", problems.size());
    m.put("pairs/problems_with_pairs", withPairs);
    m.put("pairs/all_correct", allCorrect);
    m.put("pairs/all_wrong", allWrong);
    return m;
  }

  /**
   * @return {@code [0, total)} when {@code cap} is 0 or at least {@code total}; else {@code cap}
   *     distinct indices drawn by a partial Fisher–Yates shuffle seeded with {@code (seed, id)},
   *     sorted ascending
   */
  static int[] chosenIndices(int total, int cap, long seed, String id) {
    int[] idx = new int[total];
    for (int i = 0; i < total; i++) {
      idx[i] = i;
    }
    if (cap == 0 || cap >= total) {
      return idx;
    }
    long h = 1125899906842597L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    Random rnd = new Random(seed * 1_000_003L ^ h);
    for (int i = 0; i < cap; i++) {
      int j = i + rnd.nextInt(total - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int[] out = java.util.Arrays.copyOf(idx, cap);
    java.util.Arrays.sort(out);
    return out;
  }
}
