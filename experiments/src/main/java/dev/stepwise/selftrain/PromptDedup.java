package dev.stepwise.selftrain;

import java.util.ArrayList;
import java.util.List;

/**
 * Self-Instruct's filter of generated instructions (Wang et al. 2023, §2.2 "Filtering and
 * postprocessing"): a new prompt is kept only when its ROUGE-L F-measure ({@link RougeL}) with
 * every prompt already in the pool (the seed tasks, then every kept prompt) is below the
 * threshold (0.7 in the paper); prompts with no token are dropped. Kept prompts join the pool, so
 * near-duplicates among the generated prompts themselves go too.
 */
public final class PromptDedup {
  private final double threshold;
  private final List<List<String>> pool = new ArrayList<>();

  /**
   * @param threshold ROUGE-L F at or above which a prompt is a duplicate, in (0, 1]
   * @param seeds prompts already in the pool (e.g. the seed tasks)
   * @throws IllegalArgumentException when the threshold is outside (0, 1]
   */
  public PromptDedup(double threshold, List<String> seeds) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("ROUGE-L threshold " + threshold + " must be in (0, 1]");
    }
    this.threshold = threshold;
    seeds.forEach(s -> pool.add(RougeL.tokens(s)));
  }

  /**
   * @param prompt a generated prompt
   * @return true (and the prompt joins the pool) when it is kept
   */
  public boolean offer(String prompt) {
    List<String> t = RougeL.tokens(prompt);
    if (t.isEmpty()) {
      return false;
    }
    for (List<String> p : pool) {
      if (RougeL.fmeasure(t, p) >= threshold) {
        return false;
      }
    }
    pool.add(t);
    return true;
  }

  /** @return the prompts of {@code candidates} that {@link #offer} keeps, in order */
  public List<String> filter(List<String> candidates) {
    List<String> kept = new ArrayList<>();
    for (String c : candidates) {
      if (offer(c)) {
        kept.add(c);
      }
    }
    return kept;
  }
}
