package dev.stepwise.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code trainer_state.json} in a checkpoint (keys as in Hugging Face's file where
 * they exist), everything a resume needs besides the model and optimizer files.
 *
 * @param globalStep optimizer steps completed
 * @param epoch fractional epoch reached (e.g. 1.5)
 * @param epochIndex 0-based epoch of the next micro-batch
 * @param microBatchIndex 0-based index in that epoch of the next micro-batch
 * @param numTokens tokens consumed so far (sum of {@link StepOutput#numTokens()})
 * @param maxSteps total steps of the run
 * @param seed the run seed (data order)
 * @param bestMetric lowest {@code eval/loss} seen so far, or null
 * @param bestModelCheckpoint checkpoint directory saved at the step of {@code bestMetric}, or null
 * @param logHistory the last logged records (each with its {@code step}), oldest first
 * @param complete true only when every file of the checkpoint was written; this file is written
 *     last, atomically, so a checkpoint without {@code "complete": true} is ignored
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainerState(
    @JsonProperty("global_step") long globalStep,
    @JsonProperty("epoch") double epoch,
    @JsonProperty("epoch_index") int epochIndex,
    @JsonProperty("micro_batch_index") int microBatchIndex,
    @JsonProperty("num_tokens") long numTokens,
    @JsonProperty("max_steps") long maxSteps,
    @JsonProperty("seed") long seed,
    @JsonProperty("best_metric") Double bestMetric,
    @JsonProperty("best_model_checkpoint") String bestModelCheckpoint,
    @JsonProperty("log_history") List<Map<String, Object>> logHistory,
    @JsonProperty("complete") boolean complete) {
  /** File name inside a checkpoint directory. */
  public static final String FILE = "trainer_state.json";
}
