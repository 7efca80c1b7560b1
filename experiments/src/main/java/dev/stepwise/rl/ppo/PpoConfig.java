package dev.stepwise.rl.ppo;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;

/**
 * The {@code ppo} config section, with TRL {@code PPOConfig}'s names where TRL has the knob.
 * Prompts per rollout = {@code trainer.per_device_train_batch_size} (one response each); each
 * rollout is used for {@code num_ppo_epochs × num_mini_batches} optimizer steps ({@code
 * trainer.max_steps} counts these).
 *
 * @param modelPath the SFT checkpoint (actor, reference, and critic when critic_init = policy);
 *     required
 * @param numPpoEpochs passes over each rollout, &ge; 1 (TRL 4)
 * @param numMiniBatches minibatches per pass, &ge; 1, dividing the rollout (TRL 1)
 * @param gamma discount in [0, 1] (TRL 1.0)
 * @param lam GAE lambda in [0, 1] (TRL 0.95)
 * @param cliprange policy ratio clip in (0, 1) (TRL 0.2)
 * @param cliprangeValue value clip &gt; 0 (TRL 0.2)
 * @param vfCoef value-loss weight &ge; 0 (TRL 0.1)
 * @param klCoef per-token KL penalty &ge; 0 (TRL 0.05)
 * @param klEstimator {@code k1} (TRL default) or {@code k3}
 * @param whitenRewards whiten the per-token rewards before GAE (TRL false)
 * @param responseLength new tokens per response &ge; 1 (TRL 53; arith needs ~170)
 * @param temperature sampling temperature &gt; 0; log-probabilities are of the raw distribution
 * @param rewardMode process | outcome | process+outcome
 * @param rewardClip &gt; 0: each placed score clipped to ±reward_clip; 0 = off
 * @param criticInit prm | policy
 */
public record PpoConfig(
    @JsonProperty("model_path") @Nullable String modelPath,
    @JsonProperty("num_ppo_epochs") @Nullable Integer numPpoEpochs,
    @JsonProperty("num_mini_batches") @Nullable Integer numMiniBatches,
    @JsonProperty("gamma") @Nullable Double gamma,
    @JsonProperty("lam") @Nullable Double lam,
    @JsonProperty("cliprange") @Nullable Double cliprange,
    @JsonProperty("cliprange_value") @Nullable Double cliprangeValue,
    @JsonProperty("vf_coef") @Nullable Double vfCoef,
    @JsonProperty("kl_coef") @Nullable Double klCoef,
    @JsonProperty("kl_estimator") @Nullable String klEstimator,
    @JsonProperty("whiten_rewards") @Nullable Boolean whitenRewards,
    @JsonProperty("response_length") @Nullable Integer responseLength,
    @JsonProperty("temperature") @Nullable Double temperature,
    @JsonProperty("reward_mode") @Nullable String rewardMode,
    @JsonProperty("reward_clip") @Nullable Double rewardClip,
    @JsonProperty("critic_init") @Nullable String criticInit) {

  /** Fills defaults and validates ({@link UserError} naming the {@code ppo.*} key). */
  public PpoConfig {
    numPpoEpochs = numPpoEpochs == null ? 4 : numPpoEpochs;
    numMiniBatches = numMiniBatches == null ? 1 : numMiniBatches;
    gamma = gamma == null ? 1.0 : gamma;
    lam = lam == null ? 0.95 : lam;
    cliprange = cliprange == null ? 0.2 : cliprange;
    cliprangeValue = cliprangeValue == null ? 0.2 : cliprangeValue;
    vfCoef = vfCoef == null ? 0.1 : vfCoef;
    klCoef = klCoef == null ? 0.05 : klCoef;
    klEstimator = klEstimator == null ? "k1" : klEstimator;
    whitenRewards = whitenRewards != null && whitenRewards;
    responseLength = responseLength == null ? 192 : responseLength;
    temperature = temperature == null ? 1.0 : temperature;
    rewardMode = rewardMode == null ? "process" : rewardMode;
    rewardClip = rewardClip == null ? 0.0 : rewardClip;
    criticInit = criticInit == null ? "prm" : criticInit;
    check(numPpoEpochs >= 1, "num_ppo_epochs", numPpoEpochs, ">= 1");
    check(numMiniBatches >= 1, "num_mini_batches", numMiniBatches, ">= 1");
    check(gamma >= 0 && gamma <= 1, "gamma", gamma, "in [0, 1]");
    check(lam >= 0 && lam <= 1, "lam", lam, "in [0, 1]");
    check(cliprange > 0 && cliprange < 1, "cliprange", cliprange, "in (0, 1)");
    check(cliprangeValue > 0, "cliprange_value", cliprangeValue, "> 0");
    check(vfCoef >= 0, "vf_coef", vfCoef, ">= 0");
    check(klCoef >= 0, "kl_coef", klCoef, ">= 0");
    check(responseLength >= 1, "response_length", responseLength, ">= 1");
    check(temperature > 0, "temperature", temperature, "> 0");
    check(rewardClip >= 0, "reward_clip", rewardClip, ">= 0");
    KlEstimator.parse(klEstimator);
    RewardMode.parse(rewardMode);
    if (!criticInit.equals("prm") && !criticInit.equals("policy")) {
      throw new UserError("ppo.critic_init = '" + criticInit + "' is unknown (prm, policy)");
    }
  }

  private static void check(boolean ok, String key, Object v, String what) {
    if (!ok) {
      throw new UserError("ppo." + key + " = " + v + " must be " + what);
    }
  }

  /** @return the parsed estimator */
  public KlEstimator kl() {
    return KlEstimator.parse(klEstimator);
  }

  /** @return the parsed reward mode */
  public RewardMode mode() {
    return RewardMode.parse(rewardMode);
  }

  /** @return optimizer steps per rollout */
  public int updatesPerRollout() {
    return numPpoEpochs * numMiniBatches;
  }
}
