package dev.stepwise.preference.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;

/**
 * One preference pair, in the field names of the reference implementations (DESIGN.md §3).
 *
 * @param id the problem id (several pairs of one problem share it)
 * @param prompt the prompt both responses continue
 * @param chosen the preferred continuation
 * @param rejected the dispreferred continuation
 * @param isFull true when both are complete responses (an EOS is appended when tokenising);
 *     false for step-level pairs, partial trajectories that stop after a step (no EOS). Absent =
 *     true
 * @param chosenReward the score that ranked {@code chosen} (outcome pairs: 1 for correct), or null
 * @param rejectedReward the score that ranked {@code rejected} (outcome pairs: 0), or null
 */
public record PreferencePair(
    String id,
    String prompt,
    String chosen,
    String rejected,
    @JsonProperty("is_full") @Nullable Boolean isFull,
    @JsonProperty("chosen_reward") @Nullable Double chosenReward,
    @JsonProperty("rejected_reward") @Nullable Double rejectedReward) {

  /** @return {@link #isFull()} with absent read as true */
  public boolean full() {
    return isFull == null || isFull;
  }
}
