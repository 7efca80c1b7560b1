package dev.stepwise.rl.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PPO's clipped value loss (TRL {@code PPOTrainer}):
 *
 * <pre>
 * v_clip = clip(v, old - cliprange_value, old + cliprange_value)
 * loss   = 0.5 · masked_mean(max((v - R)², (v_clip - R)²))
 * </pre>
 *
 * Where the clipped error is the larger one the gradient is zero. The caller multiplies by
 * {@code vf_coef}. Metrics: {@code val/clipfrac_avg} (fraction of tokens where the clipped error
 * is larger), {@code val/vpred} (mean prediction).
 */
public final class ValueLoss {
  private ValueLoss() {}

  /** The loss and its metrics. */
  public record Result(NDArray loss, Map<String, NDArray> metrics) {}

  /**
   * @param values (N, T) float32 critic predictions, differentiable
   * @param old (N, T) float32 predictions at rollout time
   * @param returns (N, T) float32 GAE returns
   * @param mask (N, T) float32, 1 on response tokens
   * @param cliprangeValue &gt; 0
   * @param m the step's manager
   * @return the scalar loss (before vf_coef) and metrics
   */
  public static Result compute(NDArray values, NDArray old, NDArray returns, NDArray mask, double cliprangeValue, NDManager m) {
    NDArray tokens = mask.sum().maximum(m.create(1f));
    NDArray c = m.create((float) cliprangeValue);
    NDArray vclip = values.maximum(old.sub(c)).minimum(old.add(c));
    NDArray e1 = values.sub(returns).square();
    NDArray e2 = vclip.sub(returns).square();
    NDArray loss = e1.maximum(e2).mul(mask).sum().div(tokens).mul(m.create(0.5f));
    Map<String, NDArray> metrics = new LinkedHashMap<>();
    metrics.put("val/clipfrac_avg", e2.gt(e1).toType(DataType.FLOAT32, false).mul(mask).sum().div(tokens));
    metrics.put("val/vpred", values.mul(mask).sum().div(tokens));
    return new Result(loss, metrics);
  }
}
