package dev.stepwise.gfn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The sub-trajectory balance loss SubTB(λ) (Madan et al. 2023, "Learning GFlowNets from partial
 * episodes", Eq. 9) over the step boundaries of generated solutions, as Hu et al. 2023 use it to
 * fine-tune language models. A trajectory s_0 → … → s_n (s_i = the prompt and the first i
 * reasoning steps) has learned log-flows log F(s_i) for i &lt; n, the terminal flow log F(s_n) =
 * log R(x) / T (the reward tempered by the reward temperature T, i.e. the target R^{1/T}), and
 * forward log-probabilities log P_F(s_{i+1} | s_i) (the sum of the step's token log-probs).
 * Generation is a tree (each state has one parent), so log P_B = 0. With
 *
 * <pre>
 *   δ(i, j) = log F(s_i) + Σ_{k=i}^{j-1} log P_F(s_{k+1} | s_k) − log F(s_j)
 *   L = Σ_{0≤i&lt;j≤n} λ^{j−i} δ(i, j)² / Σ_{0≤i&lt;j≤n} λ^{j−i}
 * </pre>
 *
 * the loss of a batch is the mean of its trajectories' L. λ → 0 weights single steps (detailed
 * balance), large λ the whole trajectory (trajectory balance). Computed as δ(i, j) = G_i − G_j with
 * G_i = log F(s_i) − Σ_{k&lt;i} log P_F, so one {@code [B, T+1, T+1]} difference.
 */
public final class SubTbLoss {
  private final double lambda;
  private final double rewardTemperature;

  /**
   * @param lambda the sub-trajectory weight base λ ({@code subtb_lambda}), &gt; 0
   * @param rewardTemperature T &gt; 0: the terminal flow is {@code log R / T}
   * @throws IllegalArgumentException when either is not positive
   */
  public SubTbLoss(double lambda, double rewardTemperature) {
    if (!(lambda > 0) || !(rewardTemperature > 0)) {
      throw new IllegalArgumentException("subtb_lambda (" + lambda + ") and the reward temperature (" + rewardTemperature + ") must be > 0");
    }
    this.lambda = lambda;
    this.rewardTemperature = rewardTemperature;
  }

  /**
   * @param logFlow {@code [B, T+1]} float32 log F(s_i), finite; entries at and after a
   *     trajectory's last state are ignored (the terminal flow is the reward)
   * @param logPf {@code [B, T]} float32 log P_F of each step, finite; entries past a
   *     trajectory's steps are ignored
   * @param logReward {@code [B]} float32 log R of each finished trajectory
   * @param steps the number of steps n_b of each trajectory, in [1, T]
   * @param manager where the constant masks and weights are created (the step's manager)
   * @return the scalar loss, the mean of the trajectories' L (differentiable in all three inputs)
   * @throws IllegalArgumentException on mismatched shapes or a step count outside [1, T]
   */
  public NDArray loss(NDArray logFlow, NDArray logPf, NDArray logReward, int[] steps, NDManager manager) {
    Shape s = logPf.getShape();
    int b = (int) s.get(0);
    int t = (int) s.get(1);
    if (!logFlow.getShape().equals(new Shape(b, t + 1)) || !logReward.getShape().equals(new Shape(b)) || steps.length != b) {
      throw new IllegalArgumentException("SubTB: logFlow " + logFlow.getShape() + " must be [B, T+1] and logReward "
          + logReward.getShape() + " [B] for logPf " + s + ", with " + steps.length + " step counts");
    }
    float[] terminal = new float[b * (t + 1)];
    float[] stepMask = new float[b * t];
    float[] weights = new float[b * (t + 1) * (t + 1)];
    float[] weightSums = new float[b];
    for (int r = 0; r < b; r++) {
      int n = steps[r];
      if (n < 1 || n > t) {
        throw new IllegalArgumentException("SubTB: trajectory " + r + " has " + n + " steps, outside [1, " + t + "]");
      }
      terminal[r * (t + 1) + n] = 1f;
      for (int k = 0; k < n; k++) {
        stepMask[r * t + k] = 1f;
      }
      double sum = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j <= n; j++) {
          double w = Math.pow(lambda, j - i);
          weights[(r * (t + 1) + i) * (t + 1) + j] = (float) w;
          sum += w;
        }
      }
      weightSums[r] = (float) sum;
    }
    NDArray term = manager.create(terminal, new Shape(b, t + 1));
    NDArray tempered = logReward.div(manager.create((float) rewardTemperature)).expandDims(1);
    NDArray flow = logFlow.mul(term.neg().add(manager.create(1f))).add(tempered.mul(term));
    NDArray cum = logPf.mul(manager.create(stepMask, new Shape(b, t))).cumSum(1);
    NDArray prefix = manager.zeros(new Shape(b, 1)).concat(cum, 1); // Σ_{k<i} log P_F, [B, T+1]
    NDArray g = flow.sub(prefix);
    NDArray delta = g.expandDims(2).sub(g.expandDims(1)); // δ(i, j) = G_i − G_j
    NDArray weighted = delta.square().mul(manager.create(weights, new Shape(b, t + 1, t + 1)));
    return weighted.sum(new int[] {1, 2}).div(manager.create(weightSums, new Shape(b))).mean();
  }

  /** @return λ */
  public double lambda() {
    return lambda;
  }

  /** @return the reward temperature */
  public double rewardTemperature() {
    return rewardTemperature;
  }
}
