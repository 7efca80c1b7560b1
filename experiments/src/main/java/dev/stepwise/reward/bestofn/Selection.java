package dev.stepwise.reward.bestofn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Picking one response out of n: by the highest score, or by majority vote over answers. */
public final class Selection {
  private Selection() {}

  /**
   * @param scores one score per response (n &ge; 1); NaN never wins
   * @return the index of the highest score, ties to the earliest
   */
  public static int argmax(List<Double> scores) {
    int best = 0;
    for (int i = 1; i < scores.size(); i++) {
      double s = scores.get(i);
      double b = scores.get(best);
      if (s > b || Double.isNaN(b) && !Double.isNaN(s)) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Majority vote (self-consistency, Wang et al. 2023): the most frequent non-empty answer, ties
   * to the answer that appears first.
   *
   * @param preds one extracted answer per response ("" = none)
   * @return the index of the first response giving the winning answer; 0 when no response has an
   *     answer
   */
  public static int majority(List<String> preds) {
    Map<String, Integer> counts = new HashMap<>();
    for (String p : preds) {
      if (!p.isEmpty()) {
        counts.merge(p, 1, Integer::sum);
      }
    }
    int best = 0;
    int bestCount = 0;
    for (int i = 0; i < preds.size(); i++) {
      String p = preds.get(i);
      if (!p.isEmpty() && counts.get(p) > bestCount) {
        best = i;
        bestCount = counts.get(p);
      }
    }
    return best;
  }
}
