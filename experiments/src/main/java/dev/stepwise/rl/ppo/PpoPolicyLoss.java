package dev.stepwise.rl.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PPO's clipped surrogate (Schulman et al. 2017; TRL {@code PPOTrainer}):
 *
 * <pre>
 * ratio = exp(logp - old)
 * loss  = masked_mean(max(-A·ratio, -A·clip(ratio, 1-cliprange, 1+cliprange)))
 * </pre>
 *
 * Where the clipped term is the larger one the gradient is zero (ratio &gt; 1+c with A &gt; 0,
 * ratio &lt; 1-c with A &lt; 0). Metrics (TRL's names): {@code policy/clipfrac_avg} (fraction of
 * tokens where the clipped term is larger), {@code policy/approxkl_avg} ({@code 0.5·mean((logp -
 * old)²)}), {@code val/ratio} (mean ratio). Only {@code logp} is differentiated; scalars are
 * arrays of {@code m} (DESIGN.md §5).
 */
public final class PpoPolicyLoss {
  private PpoPolicyLoss() {}

  /** The loss and its metrics. */
  public record Result(NDArray loss, Map<String, NDArray> metrics) {}

  /**
   * @param logp (N, T) float32 log-probabilities of the response tokens, differentiable
   * @param old (N, T) float32 log-probabilities at rollout time
   * @param advantages (N, T) float32 per-token advantages
   * @param mask (N, T) float32, 1 on response tokens
   * @param cliprange c in (0, 1)
   * @param m the step's manager
   * @return the scalar loss and metrics
   */
  public static Result compute(NDArray logp, NDArray old, NDArray advantages, NDArray mask, double cliprange, NDManager m) {
    NDArray tokens = mask.sum().maximum(m.create(1f));
    NDArray diff = logp.sub(old);
    NDArray ratio = diff.exp();
    NDArray clipped = ratio.maximum(m.create((float) (1 - cliprange))).minimum(m.create((float) (1 + cliprange)));
    NDArray l1 = advantages.neg().mul(ratio);
    NDArray l2 = advantages.neg().mul(clipped);
    NDArray loss = l1.maximum(l2).mul(mask).sum().div(tokens);
    Map<String, NDArray> metrics = new LinkedHashMap<>();
    metrics.put("policy/clipfrac_avg", l2.gt(l1).toType(DataType.FLOAT32, false).mul(mask).sum().div(tokens));
    metrics.put("policy/approxkl_avg", diff.square().mul(mask).sum().div(tokens).mul(m.create(0.5f)));
    metrics.put("val/ratio", ratio.mul(mask).sum().div(tokens));
    return new Result(loss, metrics);
  }
}
