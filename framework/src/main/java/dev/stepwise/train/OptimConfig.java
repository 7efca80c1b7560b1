package dev.stepwise.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.UserError;
import java.util.List;

/**
 * The {@code optim} config group, bound from HOCON with snake_case keys named as in Hugging
 * Face {@code TrainingArguments}. A key left out takes the Hugging Face default shown here.
 *
 * @param name optimizer name; only {@code "adamw"} (default)
 * @param lr peak learning rate, &gt; 0 (default 5e-5)
 * @param weightDecay decoupled weight decay, &ge; 0, applied to parameters with ndim &ge; 2
 *     (default 0)
 * @param adamBeta1 first-moment decay in [0, 1) (default 0.9)
 * @param adamBeta2 second-moment decay in [0, 1) (default 0.999)
 * @param adamEpsilon Adam denominator term, &gt; 0 (default 1e-8)
 * @param lrSchedulerType {@code linear} (default), {@code cosine}, {@code constant}, {@code
 *     constant_with_warmup}; see {@link LrSchedule}
 * @param warmupSteps linear warm-up length in optimizer steps; &gt; 0 wins over {@code
 *     warmup_ratio} (default 0)
 * @param warmupRatio warm-up as a fraction of the total steps, in [0, 1] (default 0)
 * @param minLrRatio floor of the cosine schedule as a fraction of {@code lr}, in [0, 1] (default
 *     0; Hugging Face's {@code cosine_with_min_lr} {@code min_lr_rate})
 */
public record OptimConfig(
    @JsonProperty("name") String name,
    @JsonProperty("lr") Double lr,
    @JsonProperty("weight_decay") Double weightDecay,
    @JsonProperty("adam_beta1") Double adamBeta1,
    @JsonProperty("adam_beta2") Double adamBeta2,
    @JsonProperty("adam_epsilon") Double adamEpsilon,
    @JsonProperty("lr_scheduler_type") String lrSchedulerType,
    @JsonProperty("warmup_steps") Long warmupSteps,
    @JsonProperty("warmup_ratio") Double warmupRatio,
    @JsonProperty("min_lr_ratio") Double minLrRatio) {

  /** Optimizer names this build provides. */
  public static final List<String> OPTIMIZERS = List.of("adamw");

  /**
   * Fills absent values (null) with the defaults and validates.
   *
   * @throws UserError naming the {@code optim.*} key whose value is invalid
   */
  public OptimConfig {
    name = name == null ? "adamw" : name;
    lr = lr == null ? 5e-5 : lr;
    weightDecay = weightDecay == null ? 0.0 : weightDecay;
    adamBeta1 = adamBeta1 == null ? 0.9 : adamBeta1;
    adamBeta2 = adamBeta2 == null ? 0.999 : adamBeta2;
    adamEpsilon = adamEpsilon == null ? 1e-8 : adamEpsilon;
    lrSchedulerType = lrSchedulerType == null ? "linear" : lrSchedulerType;
    warmupSteps = warmupSteps == null ? 0L : warmupSteps;
    warmupRatio = warmupRatio == null ? 0.0 : warmupRatio;
    minLrRatio = minLrRatio == null ? 0.0 : minLrRatio;
    if (!OPTIMIZERS.contains(name)) {
      throw new UserError("optim.name = '" + name + "' is unknown; available: " + OPTIMIZERS);
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new UserError("optim.lr = " + lr + " must be a finite number > 0");
    }
    if (warmupSteps < 0) {
      throw new UserError("optim.warmup_steps = " + warmupSteps + " must be >= 0");
    }
    if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
      throw new UserError("optim.warmup_ratio = " + warmupRatio + " must be in [0, 1]");
    }
    if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
      throw new UserError("optim.min_lr_ratio = " + minLrRatio + " must be in [0, 1]");
    }
    LrSchedule.checkType(lrSchedulerType);
  }

  /** @return every key at its default (AdamW, lr 5e-5, linear decay, no warm-up) */
  public static OptimConfig defaults() {
    return new OptimConfig(null, null, null, null, null, null, null, null, null, null);
  }
}
