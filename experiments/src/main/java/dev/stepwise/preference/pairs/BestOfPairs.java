package dev.stepwise.preference.pairs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.reward.predict.PredictionRecord;
import dev.stepwise.reward.predict.Reduce;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The paper's process-reward filter (Jiao et al. 2024, pDPO; reference implementation {@code
 * scripts/cot/deepseek_dpo_pair_by_reward_v1.0.py}, {@code best_of_n_filter}): pairs ranked by
 * the trajectory rewards a PRM gave to sampled responses.
 *
 * <p>Per problem of the predictions file ({@code sampler.jar job=predict}): each response's
 * reward is {@code rewards[reduce]} of its record (recomputed from {@code step_probs} with {@link
 * Reduce#apply} when that list is absent) and its outcome is the record's {@code correct}
 * (judged by the task's answer check against {@code label} when absent). Responses are
 * deduplicated by text (first occurrence kept). Then:
 *
 * <ol>
 *   <li>the chosen responses are the top {@code best_of} correct ones by reward (descending; ties
 *       keep sampling order);
 *   <li>each chosen response is paired with the incorrect responses in descending reward order,
 *       the first {@code max_neg_num} of them (0 = all);
 *   <li>when {@code pos_margin} is set (non-null, &ge; 0), each chosen response is also paired
 *       with every correct response {@code r} (in descending reward order) with {@code
 *       reward(chosen) - reward(r) > pos_margin} (the reference's {@code pos2pos} pairs, which it
 *       appends after all other pairs; here they follow their problem's correct-vs-incorrect
 *       pairs).
 * </ol>
 *
 * Pairs carry {@code is_full = true} and the two trajectory rewards; a (chosen, rejected) text
 * pair is emitted at most once per problem. Problems with no correct response give no pair.
 *
 * <p>Every pair is a new {@link PreferencePair} built from its own values, as in the reference
 * ({@code scripts/best_of_filter_by_reward_v2.7.py} and {@code
 * scripts/cot/dpo_pair_by_reward_v1.0.py} build a new dict literal per pair).
 */
public final class BestOfPairs implements PairBuilder {
  /** Registry name. */
  public static final String NAME = "best_of";

  @Override
  public Map<String, Object> build(ComposedConfig cfg, Task task, Consumer<PreferencePair> out) {
    BestOfConfig bc = cfg.bind("pairs", BestOfConfig.class);
    if (bc.predictionsFile() == null) {
      throw new UserError("pairs.predictions_file is not set (" + cfg.where("pairs")
          + "); point it at a sampler.jar job=predict predictions.jsonl");
    }
    if (bc.bestOf() < 1) {
      throw new UserError("pairs.best_of = " + bc.bestOf() + " must be >= 1 (" + cfg.where("pairs.best_of") + ")");
    }
    if (bc.maxNegNum() < 0) {
      throw new UserError("pairs.max_neg_num = " + bc.maxNegNum() + " must be >= 0 (0 = all) ("
          + cfg.where("pairs.max_neg_num") + ")");
    }
    Reduce reduce = Reduce.parse(bc.reduce());
    List<Scored> problems = read(Path.of(bc.predictionsFile()), reduce, task);
    return pairs(problems, bc.bestOf(), bc.maxNegNum(), bc.posMargin(), out);
  }

  /**
   * Reads a predictions file into scored problems.
   *
   * @param file a JSONL of {@link PredictionRecord}s
   * @param reduce which trajectory reward to use
   * @param task judges responses whose record lacks {@code correct}
   * @return one entry per record, in file order
   * @throws UserError for a missing file, invalid JSON, or a record lacking id, prompt or
   *     response, with lists of the wrong length, or without rewards for {@code reduce} and
   *     without {@code step_probs} ({@code "<file>:<line>: ..."})
   */
  public static List<Scored> read(Path file, Reduce reduce, Task task) {
    List<Scored> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        JsonNode n = r.next();
        PredictionRecord p = r.bind(n, PredictionRecord.class);
        String at = file + ":" + r.lineNumber() + ": ";
        if (p.id() == null || p.prompt() == null || p.response() == null) {
          throw new UserError(at + "prediction record needs 'id', 'prompt' and 'response'");
        }
        int m = p.response().size();
        List<Boolean> correct = p.correct();
        if (correct == null) {
          if (p.label() == null) {
            throw new UserError(at + "record " + p.id() + " has neither 'correct' nor 'label'");
          }
          Problem prob = new Problem(p.id(), p.prompt(), "", p.label());
          correct = new ArrayList<>(m);
          for (String resp : p.response()) {
            correct.add(task.isCorrect(resp, prob));
          }
        }
        List<Double> rewards = rewards(p, reduce, at);
        if (correct.size() != m || rewards.size() != m) {
          throw new UserError(at + "record " + p.id() + " has " + m + " responses but " + correct.size()
              + " 'correct' and " + rewards.size() + " '" + reduce.key() + "' rewards");
        }
        out.add(new Scored(p.id(), p.prompt(), p.response(), correct, rewards));
      }
    }
    return out;
  }

  private static List<Double> rewards(PredictionRecord p, Reduce reduce, String at) {
    if (p.rewards() != null && p.rewards().get(reduce.key()) != null) {
      return p.rewards().get(reduce.key());
    }
    if (p.stepProbs() == null) {
      throw new UserError(at + "record " + p.id() + " has no rewards." + reduce.key() + " and no step_probs");
    }
    List<Double> rs = new ArrayList<>(p.stepProbs().size());
    for (List<Float> steps : p.stepProbs()) {
      float[] a = new float[steps.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = steps.get(i);
      }
      rs.add(reduce.apply(a));
    }
    return rs;
  }

  /** A distinct response of one problem: its text, trajectory reward and sampling index. */
  private record Resp(String text, double reward, int index) {}

  /**
   * The best-of pairs of scored problems (see the class comment).
   *
   * @param problems scored responses per problem
   * @param bestOf chosen responses per problem, &ge; 1
   * @param maxNegNum incorrect responses per chosen one, 0 = all
   * @param posMargin correct-vs-correct reward gap, null or negative = off
   * @param out receives the pairs (each a new record), problem by problem in input order
   * @return {@code pairs/pairs}, {@code pairs/correct_vs_incorrect}, {@code
   *     pairs/correct_vs_correct}, {@code pairs/problems}, {@code pairs/problems_with_pairs},
   *     {@code pairs/fewer_correct_than_best_of}, {@code pairs/all_wrong}
   */
  public static Map<String, Object> pairs(
      List<Scored> problems, int bestOf, int maxNegNum, Double posMargin, Consumer<PreferencePair> out) {
    long negPairs = 0;
    long posPairs = 0;
    int withPairs = 0;
    int fewer = 0;
    int allWrong = 0;
    Comparator<Resp> byReward = Comparator.comparingDouble(Resp::reward).reversed().thenComparingInt(Resp::index);
    for (Scored s : problems) {
      List<Resp> good = new ArrayList<>();
      List<Resp> bad = new ArrayList<>();
      Set<String> seenText = new HashSet<>();
      for (int i = 0; i < s.responses().size(); i++) {
        String t = s.responses().get(i);
        if (seenText.add(t)) {
          (s.correct().get(i) ? good : bad).add(new Resp(t, s.rewards().get(i), i));
        }
      }
      good.sort(byReward);
      bad.sort(byReward);
      if (good.isEmpty()) {
        allWrong++;
        continue;
      }
      if (good.size() < bestOf) {
        fewer++;
      }
      List<Resp> chosen = good.subList(0, Math.min(bestOf, good.size()));
      List<Resp> negs = maxNegNum == 0 ? bad : bad.subList(0, Math.min(maxNegNum, bad.size()));
      Set<String> emitted = new HashSet<>();
      long before = negPairs + posPairs;
      for (Resp c : chosen) {
        for (Resp r : negs) {
          negPairs += emit(s, c, r, emitted, out);
        }
      }
      if (posMargin != null && posMargin >= 0) {
        for (Resp c : chosen) {
          for (Resp r : good) {
            if (c.reward() - r.reward() > posMargin) {
              posPairs += emit(s, c, r, emitted, out);
            }
          }
        }
      }
      withPairs += negPairs + posPairs > before ? 1 : 0;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs/pairs", negPairs + posPairs);
    m.put("pairs/correct_vs_incorrect", negPairs);
    m.put("pairs/correct_vs_correct", posPairs);
    m.put("pairs/problems", problems.size());
    m.put("pairs/problems_with_pairs", withPairs);
    m.put("pairs/fewer_correct_than_best_of", fewer);
    m.put("pairs/all_wrong", allWrong);
    return m;
  }

  /** Emits (c, r) as a new pair unless this problem already emitted the same texts; @return 1 or 0. */
  private static int emit(Scored s, Resp c, Resp r, Set<String> emitted, Consumer<PreferencePair> out) {
    if (!emitted.add(c.text() + "\u0000" + r.text())) {
      return 0;
    }
    out.accept(new PreferencePair(s.id(), s.prompt(), c.text(), r.text(), true, c.reward(), r.reward()));
    return 1;
  }
}
