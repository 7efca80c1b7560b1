package dev.stepwise.reward.data;

import java.util.List;

/**
 * One response with labels at the ends of some of its steps, before tokenisation.
 *
 * @param id the problem id (used to split by question)
 * @param prompt the prompt the response continues
 * @param response the response text
 * @param stepEnds exclusive character offsets into {@code response}, strictly increasing, each
 *     the end of a labelled step (its last non-whitespace character + 1)
 * @param targets one target per step end, in [0, 1]: the probability-space label (ORM and
 *     {@code hard}: 0/1; {@code soft} and {@code classes}: the Monte Carlo value {@code value/k})
 */
public record LabelledResponse(String id, String prompt, String response, List<Integer> stepEnds, List<Float> targets) {
  /** @throws IllegalArgumentException when ends and targets differ in length or are unordered */
  public LabelledResponse {
    if (stepEnds.size() != targets.size()) {
      throw new IllegalArgumentException(stepEnds.size() + " step ends but " + targets.size() + " targets");
    }
    for (int i = 0; i < stepEnds.size(); i++) {
      int e = stepEnds.get(i);
      if (e < 1 || e > response.length() || i > 0 && e <= stepEnds.get(i - 1)) {
        throw new IllegalArgumentException("step end " + e + " out of order or outside the response (length " + response.length() + ")");
      }
    }
    stepEnds = List.copyOf(stepEnds);
    targets = List.copyOf(targets);
  }
}
