package dev.stepwise.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.UserError;

/**
 * The {@code trainer} config group, bound from HOCON with snake_case keys named as in Hugging
 * Face {@code TrainingArguments} where they exist. A key left out takes the default shown.
 *
 * @param maxSteps total optimizer steps; &gt; 0 wins over {@code num_train_epochs} (default -1)
 * @param numTrainEpochs passes over the training data when {@code max_steps} &le; 0; may be
 *     fractional, &gt; 0 (default 3.0)
 * @param perDeviceTrainBatchSize examples per micro-batch (one forward/backward), &ge; 1
 *     (default 8); also the evaluation batch size
 * @param gradientAccumulationSteps micro-batches per optimizer step, &ge; 1 (default 1)
 * @param maxGradNorm clip the global L2 norm of the gradients to this value; &le; 0 = no
 *     clipping (default 1.0)
 * @param loggingSteps report metrics every this many optimizer steps, &ge; 1 (default 500)
 * @param evalSteps evaluate every this many steps; 0 = only at the end (default 0)
 * @param saveSteps write a checkpoint every this many steps; 0 = only at the end (default 500)
 * @param saveTotalLimit keep at most this many checkpoints (the newest is never deleted); &le; 0
 *     = keep all (default 0)
 * @param resume {@code auto} (continue from the newest complete checkpoint in the output
 *     directory, if any; default), {@code never}, or the path of a checkpoint directory
 * @param seed seed of the data order and of the engine's random generator (default 42)
 * @param progressBar show a console progress bar (default true)
 * @param gradientCheckpointing recompute each decoder layer in the backward instead of keeping
 *     its activations ({@link dev.stepwise.model.GradientCheckpointing}; Hugging Face's {@code
 *     gradient_checkpointing}): less memory, about one more forward per step (default false)
 * @param groupByLength build each epoch's micro-batches from examples of similar length, as
 *     Hugging Face's {@code group_by_length} ({@link DataOrder}); needs training data that
 *     reports lengths ({@link TrainData#length}) (default false)
 */
public record TrainerConfig(
    @JsonProperty("max_steps") Long maxSteps,
    @JsonProperty("num_train_epochs") Double numTrainEpochs,
    @JsonProperty("per_device_train_batch_size") Integer perDeviceTrainBatchSize,
    @JsonProperty("gradient_accumulation_steps") Integer gradientAccumulationSteps,
    @JsonProperty("max_grad_norm") Double maxGradNorm,
    @JsonProperty("logging_steps") Long loggingSteps,
    @JsonProperty("eval_steps") Long evalSteps,
    @JsonProperty("save_steps") Long saveSteps,
    @JsonProperty("save_total_limit") Integer saveTotalLimit,
    @JsonProperty("resume") String resume,
    @JsonProperty("seed") Long seed,
    @JsonProperty("progress_bar") Boolean progressBar,
    @JsonProperty("gradient_checkpointing") Boolean gradientCheckpointing,
    @JsonProperty("group_by_length") Boolean groupByLength) {

  /** The config without the memory switches (both off), for callers written before they existed. */
  public TrainerConfig(Long maxSteps, Double numTrainEpochs, Integer perDeviceTrainBatchSize,
      Integer gradientAccumulationSteps, Double maxGradNorm, Long loggingSteps, Long evalSteps,
      Long saveSteps, Integer saveTotalLimit, String resume, Long seed, Boolean progressBar) {
    this(maxSteps, numTrainEpochs, perDeviceTrainBatchSize, gradientAccumulationSteps, maxGradNorm,
        loggingSteps, evalSteps, saveSteps, saveTotalLimit, resume, seed, progressBar, null, null);
  }

  /**
   * Fills absent values (null) with the defaults and validates.
   *
   * @throws UserError naming the {@code trainer.*} key whose value is invalid
   */
  public TrainerConfig {
    maxSteps = maxSteps == null ? -1L : maxSteps;
    numTrainEpochs = numTrainEpochs == null ? 3.0 : numTrainEpochs;
    perDeviceTrainBatchSize = perDeviceTrainBatchSize == null ? 8 : perDeviceTrainBatchSize;
    gradientAccumulationSteps = gradientAccumulationSteps == null ? 1 : gradientAccumulationSteps;
    maxGradNorm = maxGradNorm == null ? 1.0 : maxGradNorm;
    loggingSteps = loggingSteps == null ? 500L : loggingSteps;
    evalSteps = evalSteps == null ? 0L : evalSteps;
    saveSteps = saveSteps == null ? 500L : saveSteps;
    saveTotalLimit = saveTotalLimit == null ? 0 : saveTotalLimit;
    resume = resume == null ? "auto" : resume;
    seed = seed == null ? 42L : seed;
    progressBar = progressBar == null ? Boolean.TRUE : progressBar;
    gradientCheckpointing = gradientCheckpointing != null && gradientCheckpointing;
    groupByLength = groupByLength != null && groupByLength;
    if (maxSteps <= 0 && !(numTrainEpochs > 0 && !Double.isInfinite(numTrainEpochs))) {
      throw new UserError(
          "trainer.num_train_epochs = " + numTrainEpochs + " must be > 0 when trainer.max_steps <= 0");
    }
    positive("trainer.per_device_train_batch_size", perDeviceTrainBatchSize);
    positive("trainer.gradient_accumulation_steps", gradientAccumulationSteps);
    positive("trainer.logging_steps", loggingSteps);
    if (evalSteps < 0) {
      throw new UserError("trainer.eval_steps = " + evalSteps + " must be >= 0 (0 = only at the end)");
    }
    if (saveSteps < 0) {
      throw new UserError("trainer.save_steps = " + saveSteps + " must be >= 0 (0 = only at the end)");
    }
    if (resume.isBlank()) {
      throw new UserError("trainer.resume is empty; use auto, never or a checkpoint path");
    }
  }

  /** @return every key at its default */
  public static TrainerConfig defaults() {
    return new TrainerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private static void positive(String key, long v) {
    if (v < 1) {
      throw new UserError(key + " = " + v + " must be >= 1");
    }
  }
}
