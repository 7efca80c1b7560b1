package dev.stepwise.rl;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.UserError;
import java.util.List;

/**
 * The {@code grpo} config section, with TRL {@code GRPOConfig}'s names. A key left out takes
 * the default shown.
 *
 * @param modelPath the SFT checkpoint to start from (required; config.json, model.safetensors,
 *     tokenizer files)
 * @param numGenerations completions sampled per prompt, G &ge; 2 (default 8)
 * @param maxCompletionLength maximum new tokens per completion, &ge; 1 (default 256, TRL's)
 * @param temperature sampling temperature, &gt; 0 (default 1.0); log-probabilities are those of
 *     the raw distribution, which is TRL's when the temperature is 1
 * @param topP nucleus sampling, in (0, 1] (default 1.0)
 * @param epsilon lower clipping range: ratios below {@code 1 - epsilon} are clipped for negative
 *     advantages, in (0, 1) (default 0.2)
 * @param epsilonHigh upper clipping range ({@code 1 + epsilon_high}), &gt; 0; null = epsilon
 *     (DAPO's clip-higher uses 0.28)
 * @param beta KL coefficient to the frozen reference (k3 estimator), &ge; 0 (default 0.0: no
 *     reference model is loaded)
 * @param scaleRewards {@code group} (default), {@code batch} or {@code none}
 * @param lossType {@code dapo} (default), {@code bnpo}, {@code grpo} or {@code dr_grpo}
 * @param rewardFuncs reward function names (default [answer])
 * @param rewardWeights one weight per reward function; empty = all 1.0
 */
public record GrpoConfig(
    @JsonProperty("model_path") @dev.stepwise.config.Nullable String modelPath,
    @JsonProperty("num_generations") Integer numGenerations,
    @JsonProperty("max_completion_length") Integer maxCompletionLength,
    @JsonProperty("temperature") Double temperature,
    @JsonProperty("top_p") Double topP,
    @JsonProperty("epsilon") Double epsilon,
    @JsonProperty("epsilon_high") @dev.stepwise.config.Nullable Double epsilonHigh,
    @JsonProperty("beta") Double beta,
    @JsonProperty("scale_rewards") String scaleRewards,
    @JsonProperty("loss_type") String lossType,
    @JsonProperty("reward_funcs") List<String> rewardFuncs,
    @JsonProperty("reward_weights") List<Double> rewardWeights) {

  /** Fills defaults and validates; {@link UserError} naming the {@code grpo.*} key. */
  public GrpoConfig {
    numGenerations = numGenerations == null ? 8 : numGenerations;
    maxCompletionLength = maxCompletionLength == null ? 256 : maxCompletionLength;
    temperature = temperature == null ? 1.0 : temperature;
    topP = topP == null ? 1.0 : topP;
    epsilon = epsilon == null ? 0.2 : epsilon;
    epsilonHigh = epsilonHigh == null ? epsilon : epsilonHigh;
    beta = beta == null ? 0.0 : beta;
    scaleRewards = scaleRewards == null ? "group" : scaleRewards;
    lossType = lossType == null ? "dapo" : lossType;
    rewardFuncs = rewardFuncs == null ? List.of(AnswerReward.NAME) : List.copyOf(rewardFuncs);
    rewardWeights = rewardWeights == null ? List.of() : List.copyOf(rewardWeights);
    if (numGenerations < 2) {
      throw new UserError("grpo.num_generations = " + numGenerations + " must be >= 2 (advantages are relative to the group)");
    }
    if (maxCompletionLength < 1) {
      throw new UserError("grpo.max_completion_length = " + maxCompletionLength + " must be >= 1");
    }
    if (!(temperature > 0)) {
      throw new UserError("grpo.temperature = " + temperature + " must be > 0");
    }
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new UserError("grpo.epsilon = " + epsilon + " must be in (0, 1)");
    }
    if (!(epsilonHigh > 0)) {
      throw new UserError("grpo.epsilon_high = " + epsilonHigh + " must be > 0");
    }
    if (!(beta >= 0)) {
      throw new UserError("grpo.beta = " + beta + " must be >= 0");
    }
    if (rewardFuncs.isEmpty()) {
      throw new UserError("grpo.reward_funcs is empty; e.g. [answer]");
    }
    if (!rewardWeights.isEmpty() && rewardWeights.size() != rewardFuncs.size()) {
      throw new UserError("grpo.reward_weights has " + rewardWeights.size() + " values for "
          + rewardFuncs.size() + " reward_funcs");
    }
    ScaleRewards.parse(scaleRewards);
    LossType.parse(lossType);
  }

  /** @return the parsed {@code scale_rewards} */
  public ScaleRewards scale() {
    return ScaleRewards.parse(scaleRewards);
  }

  /** @return the loss parameters */
  public GrpoLoss.Params lossParams() {
    return new GrpoLoss.Params(epsilon, epsilonHigh, beta, LossType.parse(lossType), maxCompletionLength);
  }

  /** @return the weight of reward function {@code i} */
  public double weight(int i) {
    return rewardWeights.isEmpty() ? 1.0 : rewardWeights.get(i);
  }
}
