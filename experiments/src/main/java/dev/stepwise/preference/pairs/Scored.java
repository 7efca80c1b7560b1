package dev.stepwise.preference.pairs;

import java.util.List;

/**
 * One problem's responses with their outcome labels and trajectory rewards: the input of {@link
 * BestOfPairs#pairs}.
 *
 * @param id the problem id
 * @param prompt the prompt the responses continue
 * @param responses the responses, in sampling order
 * @param correct {@code correct.get(i)} is the outcome of {@code responses.get(i)}
 * @param rewards {@code rewards.get(i)} is the trajectory reward of {@code responses.get(i)}
 *     (a reduce of its PRM step probabilities; larger is better)
 */
public record Scored(String id, String prompt, List<String> responses, List<Boolean> correct, List<Double> rewards) {
  /** @throws IllegalArgumentException when the three lists differ in length */
  public Scored {
    if (responses.size() != correct.size() || responses.size() != rewards.size()) {
      throw new IllegalArgumentException(id + ": " + responses.size() + " responses, " + correct.size()
          + " labels, " + rewards.size() + " rewards");
    }
  }
}
