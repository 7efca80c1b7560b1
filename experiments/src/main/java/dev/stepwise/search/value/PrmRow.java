package dev.stepwise.search.value;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One soft-label PRM training row in the rollouts format the PRM trainer reads ({@code
 * reward.train_file}, {@code reward.label_type = soft}; {@link
 * dev.stepwise.reward.data.RolloutLabels} groups rows by (id, resp_id) and puts each row's
 * {@code mc_value} on the last token of its state), plus the row's prefix and next step (the
 * OmegaPRM row shape: question + prefix, next step, score).
 *
 * @param id the problem id
 * @param prompt the problem's prompt
 * @param label the gold answer
 * @param respId the group: one root-to-leaf path (search trees) or one annotated step (OmegaPRM)
 * @param stepId the index of the state's last step
 * @param state the steps 0..step_id joined by newlines ({@code prefix} + {@code next_step})
 * @param type {@code inter}, or {@code full} for a terminal state
 * @param completions unused here, always empty (the trainer's format has it)
 * @param value unused here, 0
 * @param mcValue the soft label in [0, 1]: the value target v_k or the Monte Carlo score MC
 * @param prefix the steps before the labelled one, each followed by a newline ("" for the first)
 * @param nextStep the labelled step's text
 */
@JsonPropertyOrder({"id", "prompt", "label", "resp_id", "step_id", "state", "type", "completions", "value", "mc_value", "prefix", "next_step"})
public record PrmRow(
    @JsonProperty("id") String id,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("label") String label,
    @JsonProperty("resp_id") int respId,
    @JsonProperty("step_id") int stepId,
    @JsonProperty("state") String state,
    @JsonProperty("type") String type,
    @JsonProperty("completions") List<String> completions,
    @JsonProperty("value") int value,
    @JsonProperty("mc_value") double mcValue,
    @JsonProperty("prefix") String prefix,
    @JsonProperty("next_step") String nextStep) {

  /**
   * @param steps the state's steps, the labelled one last (at least one)
   * @return the row labelling the last of {@code steps} with {@code score}
   */
  public static PrmRow of(String id, String prompt, String label, int respId, List<String> steps, boolean terminal, double score) {
    StringBuilder prefix = new StringBuilder();
    for (String s : steps.subList(0, steps.size() - 1)) {
      prefix.append(s).append('\n');
    }
    String next = steps.get(steps.size() - 1);
    return new PrmRow(id, prompt, label, respId, steps.size() - 1, prefix + next, terminal ? "full" : "inter", List.of(), 0, score,
        prefix.toString(), next);
  }
}
