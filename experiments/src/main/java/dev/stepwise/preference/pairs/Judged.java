package dev.stepwise.preference.pairs;

import java.util.List;

/**
 * One problem's responses with their outcome labels: the input of {@link OutcomePairs#pairs}.
 *
 * @param id the problem id
 * @param prompt the prompt the responses continue
 * @param responses the responses, in sampling order
 * @param correct {@code correct.get(i)} is the outcome of {@code responses.get(i)}
 */
public record Judged(String id, String prompt, List<String> responses, List<Boolean> correct) {
  /** @throws IllegalArgumentException when the two lists differ in length */
  public Judged {
    if (responses.size() != correct.size()) {
      throw new IllegalArgumentException(id + ": " + responses.size() + " responses but " + correct.size() + " labels");
    }
  }
}
