package dev.stepwise.preference.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;

/**
 * One preference pair, in the field names of the reference implementations (DESIGN.md §3).
 *
 * @param id the problem id (several pairs of one problem share it)
 * @param prompt the prompt both responses continue
 * @param chosen the preferred continuation
 * @param rejected the dispreferred continuation
 * @param isFull true when both are complete responses (an EOS is appended to both when
 *     tokenising); false for step-level pairs, partial trajectories that stop after a step (no
 *     EOS). Absent = true
 * @param chosenReward the score that ranked {@code chosen} (outcome pairs: 1 for correct), or null
 * @param rejectedReward the score that ranked {@code rejected} (outcome pairs: 0), or null
 * @param chosenEos overrides {@code is_full} for the chosen side only: true = EOS after the
 *     chosen, false = none. Absent (null, and not written) = {@code is_full}. Self-Explore's
 *     pairs set it true with {@code is_full = false}: its DPO trainer appends EOS to the chosen
 *     and never to the rejected ({@code dpo/custom_trainer.py} of hbin0701/Self-Explore, lines
 *     2109–2116)
 */
public record PreferencePair(
    String id,
    String prompt,
    String chosen,
    String rejected,
    @JsonProperty("is_full") @Nullable Boolean isFull,
    @JsonProperty("chosen_reward") @Nullable Double chosenReward,
    @JsonProperty("rejected_reward") @Nullable Double rejectedReward,
    @JsonProperty("chosen_eos") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Boolean chosenEos) {

  /** A pair whose two sides follow {@code isFull} (no {@code chosen_eos}). */
  public PreferencePair(String id, String prompt, String chosen, String rejected, Boolean isFull, Double chosenReward,
      Double rejectedReward) {
    this(id, prompt, chosen, rejected, isFull, chosenReward, rejectedReward, null);
  }

  /** @return {@link #isFull()} with absent read as true: whether the rejected side ends with EOS */
  public boolean full() {
    return isFull == null || isFull;
  }

  /** @return whether the chosen side ends with EOS: {@link #chosenEos()} when set, else {@link #full()} */
  public boolean chosenEnds() {
    return chosenEos != null ? chosenEos : full();
  }
}
