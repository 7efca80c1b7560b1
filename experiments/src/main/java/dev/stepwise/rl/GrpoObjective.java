package dev.stepwise.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.train.Objective;
import dev.stepwise.train.StepOutput;
import dev.stepwise.train.TokenLogProbs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GRPO objective on a rollout batch: one policy forward, the {@link GrpoLoss}, and the
 * rollout's metrics. One update per generation batch (TRL's {@code num_iterations = 1}), so the
 * old log-probabilities are the policy's own, detached: the ratio is 1 in value and the
 * gradient is {@code -A·∇logp} (TRL does the same).
 */
public final class GrpoObjective implements Objective<GrpoBatch> {
  private final CausalLM policy;
  private final GrpoLoss.Params params;

  /**
   * @param policy the model being trained
   * @param params the loss parameters
   */
  public GrpoObjective(CausalLM policy, GrpoLoss.Params params) {
    this.policy = policy;
    this.params = params;
  }

  @Override
  public StepOutput forward(GrpoBatch b, NDManager step) {
    NDArray logits = policy.logits(policy.hiddenStates(b.inputIds(), b.attentionMask()));
    NDArray logp = TokenLogProbs.of(logits, b.labels());
    NDArray old = logp.stopGradient();
    GrpoLoss.Result r = GrpoLoss.compute(logp, old, b.refLogps(), b.advantages(), b.completionMask(), params, step);
    Map<String, NDArray> metrics = new LinkedHashMap<>();
    b.rolloutMetrics().forEach((k, v) -> metrics.put(k, step.create(v.floatValue())));
    metrics.putAll(r.metrics());
    return new StepOutput(r.loss(), metrics, b.numTokens());
  }
}
