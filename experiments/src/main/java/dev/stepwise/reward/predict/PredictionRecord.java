package dev.stepwise.reward.predict;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One problem's sampled responses scored by a reward model (a line of {@code
 * predictions.jsonl}).
 *
 * @param id the problem id
 * @param prompt the prompt
 * @param label the gold answer
 * @param response the sampled responses
 * @param pred their extracted answers ("" when none)
 * @param correct whether each response is correct by the task's answer check
 * @param stepProbs per response, the probability in [0, 1] at the end of each step the model saw
 *     (steps cut by the context length are missing from the front)
 * @param rewards per reduce ({@code product}, {@code min}, {@code sum}, {@code last}), one
 *     trajectory reward per response
 */
public record PredictionRecord(
    @JsonProperty("id") String id,
    @JsonProperty("prompt") String prompt,
    @JsonProperty("label") String label,
    @JsonProperty("response") List<String> response,
    @JsonProperty("pred") List<String> pred,
    @JsonProperty("correct") List<Boolean> correct,
    @JsonProperty("step_probs") List<List<Float>> stepProbs,
    @JsonProperty("rewards") Map<String, List<Double>> rewards) {}
