package dev.stepwise.selftrain;

import dev.stepwise.chat.ChatTemplates;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.preference.pairs.PairBuilder;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ChatPromptTask;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * RLCD's preference pairs (Yang et al. 2023, "RLCD: Reinforcement Learning from Contrastive
 * Distillation", §3): for every problem, the i-th response sampled under the positive system
 * prompt is chosen over the i-th response sampled under the negative one, without asking any
 * scorer (the labels come from the prompts). The pair's prompt is the problem's prompt through
 * the chat template with no system message, so DPO distils the positive context into the plain
 * prompt. A pair whose two responses are identical (after stripping surrounding white space)
 * is dropped, as Self-Rewarding does for its RLCD baseline, "to avoid model collapse" (a pair
 * with equal sides carries no preference and only pushes both likelihoods down under DPO).
 * Problems missing from the negative file are counted, not paired.
 */
public final class RlcdPairs implements PairBuilder {
  /** Registry name. */
  public static final String NAME = "rlcd";

  @Override
  public Map<String, Object> build(ComposedConfig cfg, Task task, Consumer<PreferencePair> out) {
    RlcdConfig c = cfg.bind("pairs", RlcdConfig.class);
    for (String[] f : new String[][] {{"positive_file", c.positiveFile()}, {"negative_file", c.negativeFile()}}) {
      if (f[1] == null || !Files.isRegularFile(Path.of(f[1]))) {
        throw new UserError("pairs." + f[0] + ": no samples file at '" + f[1] + "' (" + cfg.where("pairs") + ")");
      }
    }
    Task plain = ChatPromptTask.wrap(task, ChatTemplates.fromConfig(cfg, null));
    Map<String, Problem> byId = new LinkedHashMap<>();
    task.problems(c.split(), 0).forEach(p -> byId.put(p.id(), p));
    Function<String, String> prompt = id -> {
      Problem p = byId.get(id);
      if (p == null) {
        throw new UserError("pairs: problem id '" + id + "' is not in split '" + c.split() + "' of task " + task.name());
      }
      return plain.prompt(p);
    };
    return pairs(JsonlReader.readAll(Path.of(c.positiveFile()), SampleRecord.class),
        JsonlReader.readAll(Path.of(c.negativeFile()), SampleRecord.class), prompt, out);
  }

  /**
   * @param positive records sampled under the positive system prompt
   * @param negative records of the same ids sampled under the negative one
   * @param prompt the training prompt of a problem id
   * @param out receives the pairs, in the order of {@code positive}, then response index
   * @return {@code pairs/pairs}, {@code pairs/problems}, {@code pairs/identical_dropped}, {@code
   *     pairs/unmatched} (positive records with no negative record)
   */
  public static Map<String, Object> pairs(
      List<SampleRecord> positive, List<SampleRecord> negative, Function<String, String> prompt, Consumer<PreferencePair> out) {
    Map<String, SampleRecord> neg = new LinkedHashMap<>();
    negative.forEach(r -> neg.put(r.id(), r));
    long pairs = 0;
    long identical = 0;
    long unmatched = 0;
    for (SampleRecord p : positive) {
      SampleRecord n = neg.get(p.id());
      if (n == null) {
        unmatched++;
        continue;
      }
      String text = prompt.apply(p.id());
      int k = Math.min(p.response().size(), n.response().size());
      for (int i = 0; i < k; i++) {
        String chosen = p.response().get(i);
        String rejected = n.response().get(i);
        if (chosen.strip().equals(rejected.strip())) {
          identical++;
          continue;
        }
        out.accept(new PreferencePair(p.id(), text, chosen, rejected, true, null, null));
        pairs++;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs/pairs", pairs);
    m.put("pairs/problems", positive.size());
    m.put("pairs/identical_dropped", identical);
    m.put("pairs/unmatched", unmatched);
    return m;
  }
}
