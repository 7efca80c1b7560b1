package dev.stepwise.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GRPO's clipped surrogate loss, as TRL's {@code GRPOTrainer._compute_loss}:
 *
 * <pre>
 * ratio  = exp(logp - old_logp)
 * l_tok  = -min(ratio·A, clip(ratio, 1-epsilon, 1+epsilon_high)·A) + beta·kl
 * kl     = exp(ref - logp) - (ref - logp) - 1            (k3 estimator, only when beta &gt; 0)
 * </pre>
 *
 * averaged over completion tokens as {@link LossType} says. Metrics (scalars, TRL's names):
 * {@code clip_ratio/low_mean} (fraction of tokens with ratio &lt; 1-epsilon and A &lt; 0), {@code
 * clip_ratio/high_mean} (ratio &gt; 1+epsilon_high and A &gt; 0), {@code clip_ratio/region_mean}
 * (either), and {@code kl} (masked mean of the k3 term) when beta &gt; 0.
 *
 * <p>Only {@code logp} is differentiated. Every scalar is an array of {@code m} (DESIGN.md §5:
 * no {@code mul(Number)} in differentiated code).
 */
public final class GrpoLoss {
  private GrpoLoss() {}

  /**
   * @param epsilon lower clip range, in (0, 1)
   * @param epsilonHigh upper clip range, &gt; 0
   * @param beta KL coefficient, &ge; 0
   * @param lossType the averaging
   * @param maxCompletionLength the denominator's length for {@link LossType#DR_GRPO}
   */
  public record Params(double epsilon, double epsilonHigh, double beta, LossType lossType, int maxCompletionLength) {}

  /** The loss and its metrics. */
  public record Result(NDArray loss, Map<String, NDArray> metrics) {}

  /**
   * @param logp (N, T) float32 log-probabilities of the completion tokens under the policy
   *     (differentiable)
   * @param oldLogp (N, T) float32 log-probabilities at sampling time (no gradient)
   * @param refLogp (N, T) float32 log-probabilities under the reference model, or null when beta
   *     is 0
   * @param advantages (N) float32 per-completion advantages
   * @param mask (N, T) float32, 1 for completion tokens, 0 for prompt and padding
   * @param p the parameters
   * @param m the step's manager (owns the constants)
   * @return scalar float32 loss and scalar metrics
   * @throws IllegalArgumentException when beta &gt; 0 and refLogp is null
   */
  public static Result compute(
      NDArray logp, NDArray oldLogp, NDArray refLogp, NDArray advantages, NDArray mask, Params p, NDManager m) {
    if (p.beta() > 0 && refLogp == null) {
      throw new IllegalArgumentException("beta > 0 needs reference log-probabilities");
    }
    NDArray one = m.create(1f);
    NDArray lo = m.create((float) (1 - p.epsilon()));
    NDArray hi = m.create((float) (1 + p.epsilonHigh()));
    NDArray a = advantages.toType(DataType.FLOAT32, false).expandDims(1);
    NDArray ratio = logp.sub(oldLogp).exp();
    NDArray clipped = ratio.maximum(lo).minimum(hi);
    NDArray perToken = ratio.mul(a).minimum(clipped.mul(a)).neg();
    Map<String, NDArray> metrics = new LinkedHashMap<>();
    NDArray tokens = mask.sum().maximum(one);
    if (p.beta() > 0) {
      NDArray d = refLogp.sub(logp);
      NDArray kl = d.exp().sub(d).sub(one);
      perToken = perToken.add(m.create((float) p.beta()).mul(kl));
      metrics.put("kl", kl.mul(mask).sum().div(tokens));
    }
    NDArray masked = perToken.mul(mask);
    NDArray loss = switch (p.lossType()) {
      case GRPO -> masked.sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(one)).mean();
      case BNPO, DAPO -> masked.sum().div(tokens);
      case DR_GRPO -> masked.sum().div(m.create((float) (logp.getShape().get(0) * (long) p.maxCompletionLength())));
    };
    NDArray zero = m.create(0f);
    NDArray low = ratio.lt(lo).logicalAnd(a.lt(zero)).toType(DataType.FLOAT32, false).mul(mask);
    NDArray high = ratio.gt(hi).logicalAnd(a.gt(zero)).toType(DataType.FLOAT32, false).mul(mask);
    metrics.put("clip_ratio/low_mean", low.sum().div(tokens));
    metrics.put("clip_ratio/high_mean", high.sum().div(tokens));
    metrics.put("clip_ratio/region_mean", low.add(high).sum().div(tokens));
    return new Result(loss, metrics);
  }
}
