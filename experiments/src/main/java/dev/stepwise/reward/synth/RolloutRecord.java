package dev.stepwise.reward.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A state with its rollouts and Monte Carlo labels, written by the {@code rollouts} job.
 *
 * @param id the problem id
 * @param prompt the problem's prompt
 * @param label the gold answer
 * @param respId the response index ({@code resp_id})
 * @param stepId the last step in the state ({@code step_id}); for a {@code full} record the index
 *     of the response's last step (-1 for a response without steps)
 * @param state the state text ({@link StateRecord#state()}); for {@code full} the whole response
 * @param type {@code "inter"} or {@code "full"}
 * @param completions the {@code k} continuations of {@code prompt + state} (empty for {@code
 *     full})
 * @param value the number of correct continuations, in [0, k] ({@code k * correct} for {@code
 *     full}); a continuation is judged on its own text ({@link RolloutJudge})
 * @param mcValue {@code value / k} in [0, 1] ({@code mc_value}; 0 or 1 for {@code full})
 */
@JsonPropertyOrder({"id", "prompt", "label", "resp_id", "step_id", "state", "type", "completions", "value", "mc_value"})
public record RolloutRecord(
    @JsonProperty("id") String id,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("label") String label,
    @JsonProperty("resp_id") int respId,
    @JsonProperty("step_id") int stepId,
    @JsonProperty("state") String state,
    @JsonProperty("type") String type,
    @JsonProperty("completions") List<String> completions,
    @JsonProperty("value") int value,
    @JsonProperty("mc_value") double mcValue) {

  /** @return the resume key, as {@link StateRecord#key()} */
  public String key() {
    return StateRecord.key(id, respId, stepId);
  }
}
