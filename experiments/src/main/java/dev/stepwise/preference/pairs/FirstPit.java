package dev.stepwise.preference.pairs;

import dev.stepwise.config.UserError;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.reward.synth.RolloutJudge;
import dev.stepwise.reward.synth.StepSpans;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Self-Explore's first-pit search and fine-grained pairs (Hwang et al. 2024, "Self-Explore to
 * Avoid the Pit"; reference hbin0701/Self-Explore at 54b8ba9: {@code gen/gen_step_explore.py} and
 * {@code form_gpair} in {@code gen/utils_others.py}, lines 269–372).
 *
 * <p><b>Input.</b> The rejected sides of Self-Explore's outcome pairs ({@link Rejected}: one
 * incorrect response with the correct response it was paired with; {@link
 * FirstPitPairs#rejected} builds them as the reference's {@code get_dpo_data.py} does).
 *
 * <p><b>Pit.</b> A rejected response of {@code n} steps (the task's splitter; {@link StepSpans}
 * gives each step's end in the text) has prefixes {@code P_j} = its text up to the end of step
 * {@code j}, j = 1..n. From each {@code P_j} in turn the {@link Explorer} draws {@code k}
 * continuations of {@code prompt + P_j}; a continuation c reaches the answer when {@link
 * RolloutJudge#reachesAnswer} holds against the record's label (the rule shared with the Monte
 * Carlo labels): the continuation itself must state the answer, as in the reference (which
 * extracts the answer from the generated text alone; judging {@code P_j + c} would let a task's
 * last-number fallback credit a continuation without an answer to a prefix whose last number
 * happens to be the label). The pit is the first j whose k continuations all miss; exploring
 * stops there. No pit among the explored steps (every prefix reaches the answer: the response is
 * not wrong "from the explorer's viewpoint") gives no pair.
 *
 * <p><b>Pair</b> for a pit at step j ({@code gpair}), rewards 1 (chosen) and 0: rejected = step
 * j's text (span {@code step}, the reference's) or the response from step j on (span {@code
 * rest}, a Stepwise option). For j = 1: prompt = the question prompt, chosen = the outcome
 * pair's chosen ({@link Rejected#chosen()}; the reference, {@code utils_others.py} 304–314). For
 * j &gt; 1: prompt = {@code prompt + P_{j-1}}, chosen = the shortest continuation of {@code
 * P_{j-1}} that reached the answer and has not been a chosen of this problem yet; when every one
 * has been, no pair ({@code pairs/chosen_used_up}; the reference, lines 316–337, sorts by length
 * and drops the ones in its per-question list). Then, per problem in output order, a pair is kept
 * only when both its chosen and its rejected are new for that problem ({@code
 * pairs/duplicates}; the reference's final pass, lines 355–369).
 *
 * <p><b>EOS.</b> Every pair has {@code is_full = false} and {@code chosen_eos = true}: EOS after
 * the chosen (which always ends the solution) and never after the rejected, for both spans, as the
 * reference's DPO trainer does ({@code dpo/custom_trainer.py} lines 2109–2116: "DO not add eos
 * token for both DPO &amp; Step-wise DPO" comments out the rejected's EOS, the chosen keeps it).
 *
 * <p><b>Batching and determinism.</b> The rejected responses are processed in a rolling window of
 * {@code batch_size}: each explorer call sends the next prefix of every response in the window
 * (one prefill per prefix, its k rows sharing it), finished responses leave the window and the
 * next ones in input order join it. Call c uses the seed {@code seed + c * 0x9E3779B97F4A7C15},
 * so the output depends only on the inputs, the seed and the settings. Pairs are written in input
 * order of their responses.
 */
public final class FirstPit {
  /** Added to the seed per explorer call. */
  static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;

  /** What the rejected side of a pair holds. */
  public enum Span {
    /** The pit step only (Self-Explore's {@code gpair}). */
    STEP,
    /** The response from the pit step to its end. */
    REST;

    /** @throws UserError for a name other than {@code step} or {@code rest} */
    public static Span parse(String s) {
      for (Span v : values()) {
        if (v.name().equalsIgnoreCase(s)) {
          return v;
        }
      }
      throw new UserError("pairs.rejected = '" + s + "' is not one of: step, rest");
    }
  }

  /**
   * A response to explore: the rejected side of one of Self-Explore's outcome pairs.
   *
   * @param id the problem id
   * @param prompt the question prompt the response continues
   * @param label the gold answer
   * @param response the incorrect response
   * @param chosen the correct response it is paired with (the chosen of a pit at step 1)
   */
  public record Rejected(String id, String prompt, String label, String response, String chosen) {}

  /**
   * @param k continuations per prefix, &ge; 1
   * @param batchSize responses in the window (prefixes per explorer call), &ge; 1
   * @param maxSteps explore at most this many leading steps per response, 0 = all
   * @param span the rejected side
   * @param seed base seed of the explorer calls
   */
  public record Settings(int k, int batchSize, int maxSteps, Span span, long seed) {
    /** @throws UserError when k or batchSize is below 1 or maxSteps negative */
    public Settings {
      if (k < 1 || batchSize < 1 || maxSteps < 0) {
        throw new UserError("first_pit: need pairs.k >= 1, pairs.batch_size >= 1 and pairs.max_steps >= 0; got k="
            + k + ", batch_size=" + batchSize + ", max_steps=" + maxSteps);
      }
    }
  }

  /** One response's exploration state. */
  private static final class Item {
    final Rejected r;
    final int[] ends;
    final int levels;
    final Map<Integer, List<String>> reached = new TreeMap<>();
    int level = 1;
    int pit = -1;

    Item(Rejected r, int[] ends, int levels) {
      this.r = r;
      this.ends = ends;
      this.levels = levels;
    }

    /** @return the response up to the end of step j (1-based; 0 = empty) */
    String prefix(int j) {
      return j == 0 ? "" : r.response().substring(0, ends[j - 1]);
    }
  }

  private final Task task;
  private final Explorer explorer;
  private final Settings s;

  /**
   * @param task splits steps and judges continuations
   * @param explorer continues prefixes
   * @param settings the search settings
   */
  public FirstPit(Task task, Explorer explorer, Settings settings) {
    this.task = task;
    this.explorer = explorer;
    this.s = settings;
  }

  /**
   * Searches the first pit of every response and emits the pairs.
   *
   * @param rejected the responses, in order
   * @param out receives each pair (a new record), in input order of the responses
   * @return counts: {@code pairs/pairs}, {@code pairs/rejected_responses}, {@code pairs/no_steps},
   *     {@code pairs/no_pit}, {@code pairs/too_long} (a prefix filled the explorer's context),
   *     {@code pairs/chosen_used_up} (pit after step 1 whose correct continuations were all
   *     chosen before for the problem), {@code pairs/duplicates} (chosen or rejected already in a
   *     pair of the problem), {@code pairs/pit_step_<j>} (pits found at step j, 1-based), {@code
   *     pairs/explorer_calls}, {@code pairs/explored_prefixes}
   */
  public Map<String, Object> run(List<Rejected> rejected, Consumer<PreferencePair> out) {
    Map<String, Long> c = new LinkedHashMap<>();
    for (String key : List.of("pairs", "rejected_responses", "no_steps", "no_pit", "too_long", "chosen_used_up",
        "duplicates", "explorer_calls", "explored_prefixes")) {
      c.put(key, 0L);
    }
    Map<Integer, Long> pits = new TreeMap<>();
    List<Item> items = new ArrayList<>();
    for (Rejected r : rejected) {
      List<String> steps = task.splitSteps(r.response());
      if (steps.isEmpty()) {
        c.merge("no_steps", 1L, Long::sum);
        continue;
      }
      int levels = s.maxSteps() == 0 ? steps.size() : Math.min(s.maxSteps(), steps.size());
      items.add(new Item(r, StepSpans.ends(r.response(), steps), levels));
    }
    c.put("rejected_responses", (long) rejected.size());
    List<Item> window = new ArrayList<>();
    int next = 0;
    long call = 0;
    while (next < items.size() || !window.isEmpty()) {
      while (window.size() < s.batchSize() && next < items.size()) {
        window.add(items.get(next++));
      }
      List<String> prompts = new ArrayList<>(window.size());
      for (Item it : window) {
        prompts.add(it.r.prompt() + it.prefix(it.level));
      }
      List<List<String>> outs = explorer.explore(prompts, s.k(), s.seed() + call * SEED_STRIDE);
      call++;
      c.merge("explored_prefixes", (long) prompts.size(), Long::sum);
      List<Item> still = new ArrayList<>();
      for (int i = 0; i < window.size(); i++) {
        Item it = window.get(i);
        if (advance(it, outs.get(i), c)) {
          still.add(it);
        } else if (it.pit > 0) {
          pits.merge(it.pit, 1L, Long::sum);
        }
      }
      window = still;
    }
    c.put("explorer_calls", call);
    Map<String, Set<String>> usedChosen = new HashMap<>();
    Map<String, Set<String>> keptChosen = new HashMap<>();
    Map<String, Set<String>> keptRejected = new HashMap<>();
    for (Item it : items) {
      if (it.pit < 0) {
        continue;
      }
      PreferencePair p = pair(it, usedChosen);
      if (p == null) {
        c.merge("chosen_used_up", 1L, Long::sum);
      } else if (keptChosen.computeIfAbsent(p.id(), x -> new HashSet<>()).contains(p.chosen())
          || keptRejected.computeIfAbsent(p.id(), x -> new HashSet<>()).contains(p.rejected())) {
        c.merge("duplicates", 1L, Long::sum);
      } else {
        keptChosen.get(p.id()).add(p.chosen());
        keptRejected.get(p.id()).add(p.rejected());
        out.accept(p);
        c.merge("pairs", 1L, Long::sum);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    c.forEach((key, v) -> m.put("pairs/" + key, v));
    pits.forEach((j, v) -> m.put("pairs/pit_step_" + j, v));
    return m;
  }

  /** Records one exploration of {@code it.level}; @return true while the item needs more. */
  private boolean advance(Item it, List<String> conts, Map<String, Long> c) {
    if (conts.isEmpty()) {
      c.merge("too_long", 1L, Long::sum);
      return false;
    }
    List<String> good = new ArrayList<>();
    for (String cont : conts) {
      if (RolloutJudge.reachesAnswer(task, it.r.id(), it.r.label(), cont)) {
        good.add(cont);
      }
    }
    it.reached.put(it.level, good);
    if (good.isEmpty()) {
      it.pit = it.level;
      return false;
    }
    if (it.level == it.levels) {
      c.merge("no_pit", 1L, Long::sum);
      return false;
    }
    it.level++;
    return true;
  }

  /**
   * @return the pair of a pitted item, or null when the pit is after step 1 and every correct
   *     continuation of the prefix before it has been chosen for the problem already
   */
  private PreferencePair pair(Item it, Map<String, Set<String>> usedChosen) {
    int j = it.pit;
    String response = it.r.response();
    int start = j == 1 ? 0 : it.ends[j - 2];
    String rejected = s.span() == Span.STEP ? response.substring(start, it.ends[j - 1]) : response.substring(start);
    String chosen;
    if (j == 1) {
      chosen = it.r.chosen();
    } else {
      Set<String> used = usedChosen.computeIfAbsent(it.r.id(), x -> new HashSet<>());
      List<String> cands = new ArrayList<>(it.reached.get(j - 1));
      cands.sort(Comparator.comparingInt(String::length));
      chosen = cands.stream().filter(x -> !used.contains(x)).findFirst().orElse(null);
      if (chosen == null) {
        return null;
      }
      used.add(chosen);
    }
    return new PreferencePair(it.r.id(), it.r.prompt() + it.prefix(j - 1), chosen, rejected, false, 1.0, 0.0, true);
  }
}
