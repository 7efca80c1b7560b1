package dev.stepwise.reward.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One line of the rollouts job's output (the traj helper's contract): a state and the
 * correctness statistics of its k completions.
 *
 * @param id the problem id
 * @param prompt the problem's prompt
 * @param label the gold answer
 * @param respId index of the sampled response the state comes from
 * @param stepId index of the state's last step in that response
 * @param state the response prefix of steps 0..step_id ({@code prompt + state} is a prefix of
 *     {@code prompt + response}); the whole response when {@code type = full}
 * @param type {@code inter} (an intermediate state) or {@code full} (a whole response)
 * @param completions the k rollouts (empty or absent for {@code full})
 * @param value correct rollouts, 0..k ({@code k·correct} for {@code full})
 * @param mcValue {@code value/k} in [0, 1]
 */
public record RolloutRecord(
    @JsonProperty("id") String id,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("label") String label,
    @JsonProperty("resp_id") Integer respId,
    @JsonProperty("step_id") Integer stepId,
    @JsonProperty("state") String state,
    @JsonProperty("type") String type,
    @JsonProperty("completions") List<String> completions,
    @JsonProperty("value") Double value,
    @JsonProperty("mc_value") Double mcValue) {}
