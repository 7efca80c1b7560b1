package dev.stepwise.reward.synth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One intermediate reasoning state: a prefix of a sampled response, written by the {@code states}
 * job (the reference's {@code sample_react_inter_states}).
 *
 * @param id the problem id
 * @param prompt the problem's prompt (as in the samples file)
 * @param label the gold answer
 * @param respId index of the response in the sample record's {@code response} list ({@code
 *     resp_id}, 0-based)
 * @param stepId index of the last step the state contains ({@code step_id}, 0-based, in the
 *     task's step splitting)
 * @param state the exact text of the response from its start up to the end of step {@code
 *     step_id}, including the rest of that step's line and its line terminator when the response
 *     has one; {@code prompt + state} is the text the model continues
 * @param type {@value #INTER} for an intermediate state ({@link RolloutRecord} adds {@value
 *     #FULL} for whole responses)
 */
@JsonPropertyOrder({"id", "prompt", "label", "resp_id", "step_id", "state", "type"})
public record StateRecord(
    @JsonProperty("id") String id,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("label") String label,
    @JsonProperty("resp_id") int respId,
    @JsonProperty("step_id") int stepId,
    @JsonProperty("state") String state,
    @JsonProperty("type") String type) {
  /** Type of an intermediate state. */
  public static final String INTER = "inter";
  /** Type of a whole response. */
  public static final String FULL = "full";

  /** @return the resume key {@code id \u0000 resp_id \u0000 step_id} */
  public String key() {
    return key(id, respId, stepId);
  }

  /** @return the resume key of (id, resp_id, step_id) */
  public static String key(String id, int respId, int stepId) {
    return id + '\u0000' + respId + '\u0000' + stepId;
  }
}
