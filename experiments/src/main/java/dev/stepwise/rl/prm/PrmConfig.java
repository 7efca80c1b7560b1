package dev.stepwise.rl.prm;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;
import dev.stepwise.reward.model.ClassReduce;
import dev.stepwise.reward.model.StepScore;
import dev.stepwise.reward.predict.Reduce;
import java.util.HashSet;
import java.util.List;

/**
 * The top-level {@code prm} config section: how a PRM's steps are scored, shared by GRPO's {@code
 * prm} reward function, step PPO's reward model, the {@code predict} job (and through its rewards
 * best-of-N and best-of pairs) and the evaluation of a PRM in training. Keys left out take the
 * defaults shown; docs/reward.md lists what each config sets.
 *
 * @param modelPath a reward-model directory written by {@code objective = prm} (its {@code
 *     reward_model} folder); required where the PRM is a reward (GRPO, step PPO), unused by
 *     predict and training
 * @param reduce GRPO's sequence score from the step scores: min (default), last, sum, product
 *     ({@link Reduce}; predict writes all four)
 * @param batchSize sequences per PRM forward, &ge; 1 (default 32)
 * @param classReduce class head only: {@code prob_ge} or {@code expected} (default, {@link
 *     ClassReduce}); the LPR configs set the reference's {@code prob_ge}
 * @param probLabels the classes {@code prob_ge} sums, distinct, each &ge; 0 and &lt; the head's
 *     classes (checked when scoring); default [2, 3] (the reference's for k = 3)
 * @param stepOffset how many trailing step scores to drop before reducing a response to one
 *     reward (predict's rewards, GRPO's score), &ge; 0, default 0; the reference's math scripts
 *     use 1 (drop the answer step; {@code scripts/cot/deepseek_dpo_pair_by_reward_v1.0.py} around
 *     line 111–113). Per-step scores are never dropped.
 */
public record PrmConfig(
    @JsonProperty("model_path") @Nullable String modelPath,
    @JsonProperty("reduce") @Nullable String reduce,
    @JsonProperty("batch_size") @Nullable Integer batchSize,
    @JsonProperty("class_reduce") @Nullable ClassReduce classReduce,
    @JsonProperty("prob_labels") @Nullable List<Integer> probLabels,
    @JsonProperty("step_offset") @Nullable Integer stepOffset) {
  /** Fills defaults and validates ({@link UserError} naming the key). */
  public PrmConfig {
    reduce = reduce == null ? "min" : reduce;
    batchSize = batchSize == null ? 32 : batchSize;
    classReduce = classReduce == null ? ClassReduce.EXPECTED : classReduce;
    probLabels = probLabels == null ? List.of(2, 3) : List.copyOf(probLabels);
    stepOffset = stepOffset == null ? 0 : stepOffset;
    Reduce.parse(reduce, "prm.reduce");
    if (batchSize < 1) {
      throw new UserError("prm.batch_size = " + batchSize + " must be >= 1");
    }
    if (stepOffset < 0) {
      throw new UserError("prm.step_offset = " + stepOffset + " must be >= 0");
    }
    if (classReduce == ClassReduce.PROB_GE
        && (probLabels.isEmpty() || probLabels.stream().anyMatch(l -> l < 0) || new HashSet<>(probLabels).size() != probLabels.size())) {
      throw new UserError("prm.prob_labels = " + probLabels + " must be distinct classes >= 0, at least one");
    }
  }

  /** The GRPO/step-PPO form: scoring keys at their defaults. */
  public PrmConfig(String modelPath, String reduce, Integer batchSize) {
    this(modelPath, reduce, batchSize, null, null, null);
  }

  /** @return every key at its default (what a job without a {@code prm} section uses) */
  public static PrmConfig defaults() {
    return new PrmConfig(null, null, null);
  }

  /** @return the parsed reduce */
  public Reduce reduction() {
    return Reduce.parse(reduce, "prm.reduce");
  }

  /** @return the step-score rule of {@code class_reduce} and {@code prob_labels} */
  public StepScore stepScore() {
    return new StepScore(classReduce, probLabels);
  }
}
