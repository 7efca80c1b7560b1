package dev.stepwise.reward.data;

import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PRM training responses from the rollouts job: the records of one (id, resp_id) are grouped into
 * ONE sequence, the longest state (the {@code full} record when present), with each state's
 * label on the last token of its step. One forward then trains every step of a response, and
 * each state is seen in its real context, as the reference PRM is trained (labels at the step
 * separators of the whole response). Two states ending at the same step keep the first.
 */
public final class RolloutLabels {
  private RolloutLabels() {}

  /**
   * @param file the rollouts JSONL
   * @param type how {@code mc_value} becomes the target
   * @return one response per (id, resp_id), in first-seen order
   * @throws UserError naming {@code file:line} for a record without id, resp_id, state or
   *     mc_value, an mc_value outside [0, 1], or a state that is not a prefix of its group's
   *     longest state
   */
  public static List<LabelledResponse> read(Path file, LabelType type) {
    Map<String, List<RolloutRecord>> groups = new LinkedHashMap<>();
    Map<RolloutRecord, Integer> lines = new java.util.IdentityHashMap<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        RolloutRecord rec = r.bind(r.next(), RolloutRecord.class);
        String where = file + ":" + r.lineNumber();
        if (rec.id() == null || rec.respId() == null || rec.state() == null || rec.mcValue() == null || rec.prompt() == null) {
          throw new UserError(where + ": a rollout record needs id, prompt, resp_id, state and mc_value");
        }
        if (!(rec.mcValue() >= 0 && rec.mcValue() <= 1)) {
          throw new UserError(where + ": mc_value " + rec.mcValue() + " is outside [0, 1]");
        }
        lines.put(rec, r.lineNumber());
        groups.computeIfAbsent(rec.id() + "\u0000" + rec.respId(), g -> new ArrayList<>()).add(rec);
      }
    }
    List<LabelledResponse> out = new ArrayList<>();
    for (List<RolloutRecord> g : groups.values()) {
      out.add(group(g, type, file, lines));
    }
    return out;
  }

  /** @return the maximum number of completions of any record (k), 0 when none has any */
  public static int maxRollouts(Path file) {
    int k = 0;
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        RolloutRecord rec = r.bind(r.next(), RolloutRecord.class);
        if (rec.completions() != null) {
          k = Math.max(k, rec.completions().size());
        }
      }
    }
    return k;
  }

  static LabelledResponse group(List<RolloutRecord> g, LabelType type, Path file, Map<RolloutRecord, Integer> lines) {
    RolloutRecord longest = g.get(0);
    for (RolloutRecord r : g) {
      if ("full".equals(r.type()) || r.state().length() > longest.state().length() && !"full".equals(longest.type())) {
        longest = r;
      }
    }
    String text = longest.state();
    TreeMap<Integer, Float> byEnd = new TreeMap<>();
    for (RolloutRecord r : g) {
      if (!text.startsWith(r.state())) {
        throw new UserError(file + ":" + lines.get(r) + ": state of (" + r.id() + ", resp " + r.respId()
            + ") is not a prefix of the response '" + abbreviate(text) + "'");
      }
      int end = StepBoundaries.trimmedEnd(r.state());
      if (end > 0) {
        byEnd.putIfAbsent(end, type.target(r.mcValue()));
      }
    }
    return new LabelledResponse(longest.id(), longest.prompt(), text, new ArrayList<>(byEnd.keySet()), new ArrayList<>(byEnd.values()));
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
