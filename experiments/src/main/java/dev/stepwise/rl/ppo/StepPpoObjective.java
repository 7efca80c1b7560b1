package dev.stepwise.rl.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.train.Objective;
import dev.stepwise.train.StepOutput;
import dev.stepwise.train.TokenLogProbs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step PPO's loss on one minibatch (TRL {@code PPOTrainer}'s inner loop): actor and critic
 * forwards, {@code loss = pg_loss + vf_coef · vf_loss} ({@link PpoPolicyLoss}, {@link
 * ValueLoss}), one optimizer over both. Metrics (TRL's names): {@code loss/policy_avg}, {@code
 * loss/value_avg}, {@code policy/approxkl_avg}, {@code policy/clipfrac_avg}, {@code
 * policy/entropy_avg} (mean entropy of the full next-token distribution over response tokens),
 * {@code val/ratio}, {@code val/clipfrac_avg}, {@code val/vpred}, and the rollout's metrics
 * ({@code objective/*}, {@code time/*}).
 */
public final class StepPpoObjective implements Objective<PpoBatch> {
  private final CausalLM policy;
  private final Critic critic;
  private final PpoConfig cfg;

  /**
   * @param policy the actor
   * @param critic the value model
   * @param cfg cliprange, cliprange_value, vf_coef
   */
  public StepPpoObjective(CausalLM policy, Critic critic, PpoConfig cfg) {
    this.policy = policy;
    this.critic = critic;
    this.cfg = cfg;
  }

  @Override
  public StepOutput forward(PpoBatch b, NDManager step) {
    NDArray logits = policy.logits(policy.hiddenStates(b.inputIds(), b.attentionMask()));
    NDArray logp = TokenLogProbs.of(logits, b.labels());
    NDArray values = critic.values(b.inputIds(), b.attentionMask());
    PpoPolicyLoss.Result pg = PpoPolicyLoss.compute(logp, b.oldLogp(), b.advantages(), b.mask(), cfg.cliprange(), step);
    ValueLoss.Result vf = ValueLoss.compute(values, b.oldValues(), b.returns(), b.mask(), cfg.cliprangeValue(), step);
    NDArray loss = pg.loss().add(vf.loss().mul(step.create(cfg.vfCoef().floatValue())));
    Map<String, NDArray> metrics = new LinkedHashMap<>();
    b.rolloutMetrics().forEach((k, v) -> metrics.put(k, step.create(v.floatValue())));
    metrics.put("loss/policy_avg", pg.loss().stopGradient());
    metrics.put("loss/value_avg", vf.loss().stopGradient());
    metrics.putAll(pg.metrics());
    metrics.putAll(vf.metrics());
    NDArray lp = logits.stopGradient().logSoftmax(-1);
    NDArray ent = lp.exp().mul(lp).sum(new int[] {-1}).neg();
    metrics.put("policy/entropy_avg", ent.mul(b.mask()).sum().div(b.mask().sum().maximum(step.create(1f))));
    return new StepOutput(loss, metrics, b.numTokens());
  }
}
