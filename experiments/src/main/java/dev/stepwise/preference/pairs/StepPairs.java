package dev.stepwise.preference.pairs;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.reward.synth.RolloutRecord;
import dev.stepwise.reward.synth.StateRecord;
import dev.stepwise.reward.synth.StepSpans;
import dev.stepwise.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pair builder {@code step}: step-level pairs ranked by Monte Carlo values (the step-DPO data
 * of process supervision: partial trajectories that share a prefix and differ in the next step).
 *
 * <p>Every record of {@code pairs.rollouts_file} ({@code sampler.jar job=rollouts}) is a state:
 * a prefix of a sampled response ending after step {@code j}, with {@code mc_value} = the share
 * of its rollouts that reached the answer. Its text splits (task splitter, {@link StepSpans})
 * into the shared part (steps before the last, up to the end of their line) and the next step
 * (the last step's text to the end of the state). States of one problem with the same prompt and
 * shared part form a group; states with the same next-step text are merged (MC value pooled over
 * their rollouts; a {@code full} record counts as one rollout). In a group, next steps sorted by
 * MC value (descending, ties by first appearance) give the pair (a, b) for every a before b with
 * {@code mc(a) - mc(b) > min_margin}: prompt = prompt + shared part, chosen = a, rejected = b,
 * {@code is_full = false}, rewards = the two MC values. With {@code max_pairs_per_problem = m >
 * 0}, a problem with more pairs keeps m drawn without replacement (seeded with the problem id,
 * kept in order). Problems are written in order of first appearance.
 */
public final class StepPairs implements PairBuilder {
  /** Registry name. */
  public static final String NAME = "step";

  @Override
  public Map<String, Object> build(ComposedConfig cfg, Task task, Consumer<PreferencePair> out) {
    StepPairsConfig sc = cfg.bind("pairs", StepPairsConfig.class);
    if (sc.rolloutsFile() == null || !Files.isRegularFile(Path.of(sc.rolloutsFile()))) {
      throw new UserError("pairs.rollouts_file: no file at '" + sc.rolloutsFile() + "' (" + cfg.where("pairs")
          + "); point it at a sampler.jar job=rollouts rollouts.jsonl");
    }
    if (!(sc.minMargin() >= 0 && sc.minMargin() < 1)) {
      throw new UserError("pairs.min_margin = " + sc.minMargin() + " must be in [0, 1) (" + cfg.where("pairs.min_margin") + ")");
    }
    if (sc.maxPairsPerProblem() < 0) {
      throw new UserError("pairs.max_pairs_per_problem = " + sc.maxPairsPerProblem() + " must be >= 0 (0 = all)");
    }
    List<RolloutRecord> records = JsonlReader.readAll(Path.of(sc.rolloutsFile()), RolloutRecord.class);
    return pairs(records, task, sc.minMargin(), sc.includeFull(), sc.maxPairsPerProblem(), sc.seed(), out);
  }

  /** A distinct next step of a group: its text, pooled correct rollouts and rollouts, first position. */
  private static final class Next {
    final String text;
    final int order;
    double correct;
    int rollouts;

    Next(String text, int order) {
      this.text = text;
      this.order = order;
    }

    double mc() {
      return correct / rollouts;
    }
  }

  /**
   * The step pairs of rollout records (see the class comment).
   *
   * @param records states with MC labels, in file order
   * @param task splits states into steps
   * @param minMargin strict MC-value gap, in [0, 1)
   * @param includeFull use {@code full} records too
   * @param maxPairsPerProblem cap per problem, 0 = none
   * @param seed seed of the capped draw
   * @param out receives each pair (a new record)
   * @return {@code pairs/pairs}, {@code pairs/states} (records used), {@code pairs/groups}, {@code
   *     pairs/groups_with_siblings} (groups with at least two distinct next steps), {@code
   *     pairs/below_margin} (sibling pairs whose gap is too small), {@code pairs/capped} (pairs
   *     dropped by the cap), {@code pairs/problems}, {@code pairs/problems_with_pairs}
   */
  public static Map<String, Object> pairs(List<RolloutRecord> records, Task task, double minMargin, boolean includeFull,
      int maxPairsPerProblem, long seed, Consumer<PreferencePair> out) {
    // problem id -> group prompt (prompt + shared part) -> next step text -> Next
    Map<String, Map<String, Map<String, Next>>> problems = new LinkedHashMap<>();
    long used = 0;
    for (RolloutRecord r : records) {
      if (r.id() == null || r.prompt() == null || r.state() == null) {
        throw new UserError("rollout record " + r.id() + " lacks one of id, prompt, state");
      }
      boolean full = StateRecord.FULL.equals(r.type());
      if (full && !includeFull) {
        continue;
      }
      List<String> steps = task.splitSteps(r.state());
      if (steps.isEmpty()) {
        continue;
      }
      int[] ends = StepSpans.ends(r.state(), steps);
      int cut = steps.size() == 1 ? 0 : ends[steps.size() - 2];
      String groupPrompt = r.prompt() + r.state().substring(0, cut);
      Map<String, Next> group = problems.computeIfAbsent(r.id(), x -> new LinkedHashMap<>())
          .computeIfAbsent(groupPrompt, x -> new LinkedHashMap<>());
      String text = r.state().substring(cut);
      Next n = group.computeIfAbsent(text, x -> new Next(x, group.size()));
      int k = full ? 1 : r.completions().size();
      if (k == 0) {
        throw new UserError("rollout record " + r.key() + " of type " + r.type() + " has no completions");
      }
      n.correct += full ? r.mcValue() : r.value();
      n.rollouts += k;
      used++;
    }
    long total = 0;
    long groups = 0;
    long siblings = 0;
    long below = 0;
    long capped = 0;
    int withPairs = 0;
    Comparator<Next> byMc = Comparator.comparingDouble(Next::mc).reversed().thenComparingInt(n -> n.order);
    for (Map.Entry<String, Map<String, Map<String, Next>>> prob : problems.entrySet()) {
      List<PreferencePair> cands = new ArrayList<>();
      for (Map.Entry<String, Map<String, Next>> g : prob.getValue().entrySet()) {
        groups++;
        List<Next> ns = new ArrayList<>(g.getValue().values());
        if (ns.size() < 2) {
          continue;
        }
        siblings++;
        ns.sort(byMc);
        for (int a = 0; a < ns.size(); a++) {
          for (int b = a + 1; b < ns.size(); b++) {
            Next hi = ns.get(a);
            Next lo = ns.get(b);
            if (hi.mc() - lo.mc() > minMargin) {
              cands.add(new PreferencePair(prob.getKey(), g.getKey(), hi.text, lo.text, false, hi.mc(), lo.mc()));
            } else {
              below++;
            }
          }
        }
      }
      int[] keep = OutcomePairs.chosenIndices(cands.size(), maxPairsPerProblem, seed, prob.getKey());
      for (int i : keep) {
        out.accept(cands.get(i));
      }
      capped += cands.size() - keep.length;
      total += keep.length;
      withPairs += keep.length > 0 ? 1 : 0;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs/pairs", total);
    m.put("pairs/states", used);
    m.put("pairs/groups", groups);
    m.put("pairs/groups_with_siblings", siblings);
    m.put("pairs/below_margin", below);
    m.put("pairs/capped", capped);
    m.put("pairs/problems", problems.size());
    m.put("pairs/problems_with_pairs", withPairs);
    return m;
  }
}
