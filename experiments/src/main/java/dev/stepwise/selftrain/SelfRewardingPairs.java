package dev.stepwise.selftrain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.preference.pairs.PairBuilder;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Self-Rewarding's preference pairs (Yuan et al. 2024, §2.3 "AI Feedback Training"): per prompt,
 * the response with the highest mean judge score is chosen and the one with the lowest is
 * rejected; a prompt whose scored responses all have the same score gives no pair (the tie
 * rule), and so does one with fewer than two scored responses (unparsed verdicts, null scores,
 * are left out, not read as 0). Among equal highest (lowest) scores the first (last) response in
 * sampling order is taken, so the result is deterministic. Pairs carry the two scores as {@code
 * chosen_reward} and {@code rejected_reward}.
 *
 * <p>When the records carry a {@code label}, the task's answer check also reports how the judge's
 * ranking agrees with correctness: {@code pairs/judge_agree} counts pairs whose chosen response is
 * correct and rejected one wrong, {@code pairs/judge_disagree} the reverse.
 */
public final class SelfRewardingPairs implements PairBuilder {
  /** Registry name. */
  public static final String NAME = "self_rewarding";

  /**
   * One prompt's responses and their mean judge scores.
   *
   * @param id the prompt's id
   * @param prompt the prompt
   * @param label the reference answer, or null
   * @param responses the responses
   * @param scores one mean score per response, null when unparsed
   */
  public record Scored(String id, String prompt, String label, List<String> responses, List<Double> scores) {
    /** @throws IllegalArgumentException when the lists differ in length */
    public Scored {
      if (responses.size() != scores.size()) {
        throw new IllegalArgumentException(id + ": " + responses.size() + " responses but " + scores.size() + " judge scores");
      }
    }
  }

  @Override
  public Map<String, Object> build(ComposedConfig cfg, Task task, Consumer<PreferencePair> out) {
    SelfRewardingConfig c = cfg.bind("pairs", SelfRewardingConfig.class);
    if (c.judgedFile() == null || !Files.isRegularFile(Path.of(c.judgedFile()))) {
      throw new UserError("pairs.judged_file: no judge output at '" + c.judgedFile() + "' (" + cfg.where("pairs") + ")");
    }
    List<Scored> records = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(Path.of(c.judgedFile()))) {
      while (r.hasNext()) {
        JsonNode n = r.next();
        if (!n.path("id").isValueNode() || !n.path("prompt").isTextual() || !n.path("response").isArray()
            || !n.path("judge_scores").isArray() || n.get("judge_scores").size() != n.get("response").size()) {
          throw new UserError(c.judgedFile() + ":" + r.lineNumber() + ": a judged record needs 'id', 'prompt', a 'response' list "
              + "and a 'judge_scores' list of the same length (the judge job's output)");
        }
        List<String> responses = new ArrayList<>();
        n.get("response").forEach(x -> responses.add(x.asText()));
        List<Double> scores = new ArrayList<>();
        n.get("judge_scores").forEach(x -> scores.add(x.isNumber() ? x.asDouble() : null));
        String label = n.path("label").isValueNode() && !n.get("label").isNull() ? n.get("label").asText() : null;
        records.add(new Scored(n.get("id").asText(), n.get("prompt").asText(), label, responses, scores));
      }
    }
    return pairs(records, task, out);
  }

  /**
   * @param records scored responses per prompt
   * @param task answers the correctness of labelled records (may be null: no agreement counts)
   * @param out receives one pair per prompt that has one, in input order
   * @return {@code pairs/pairs}, {@code pairs/problems}, {@code pairs/ties_dropped} (all scored
   *     responses equal), {@code pairs/too_few_scored} (fewer than two scored responses), {@code
   *     pairs/judge_agree}, {@code pairs/judge_disagree}
   */
  public static Map<String, Object> pairs(List<Scored> records, Task task, Consumer<PreferencePair> out) {
    long pairs = 0;
    long ties = 0;
    long tooFew = 0;
    long agree = 0;
    long disagree = 0;
    for (Scored s : records) {
      int hi = -1;
      int lo = -1;
      int scored = 0;
      for (int i = 0; i < s.scores().size(); i++) {
        Double v = s.scores().get(i);
        if (v == null || v.isNaN()) {
          continue;
        }
        scored++;
        if (hi < 0 || v > s.scores().get(hi)) {
          hi = i;
        }
        if (lo < 0 || v <= s.scores().get(lo)) {
          lo = i;
        }
      }
      if (scored < 2) {
        tooFew++;
        continue;
      }
      if (s.scores().get(hi).doubleValue() == s.scores().get(lo).doubleValue()) {
        ties++;
        continue;
      }
      out.accept(new PreferencePair(s.id(), s.prompt(), s.responses().get(hi), s.responses().get(lo), true,
          s.scores().get(hi), s.scores().get(lo)));
      pairs++;
      if (task != null && s.label() != null) {
        Problem p = new Problem(s.id(), s.prompt(), "", s.label());
        boolean c = task.isCorrect(s.responses().get(hi), p);
        boolean r = task.isCorrect(s.responses().get(lo), p);
        agree += c && !r ? 1 : 0;
        disagree += !c && r ? 1 : 0;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs/pairs", pairs);
    m.put("pairs/problems", records.size());
    m.put("pairs/ties_dropped", ties);
    m.put("pairs/too_few_scored", tooFew);
    m.put("pairs/judge_agree", agree);
    m.put("pairs/judge_disagree", disagree);
    return m;
  }
}
