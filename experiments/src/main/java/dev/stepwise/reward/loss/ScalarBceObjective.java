package dev.stepwise.reward.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.stepwise.reward.data.RewardBatch;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.train.Objective;
import dev.stepwise.train.StepOutput;
import java.util.Map;

/**
 * Binary cross-entropy of the scalar head at the labelled positions ({@code RewardBatch.labelMask}),
 * the objective of both the outcome and the process reward model; only the data decides where
 * labels sit and what they are:
 * <ul>
 *   <li>ORM (Cobbe et al. 2021): one label, correctness (0/1), at each response's last token
 *       ({@code OutcomeLabels.orm});
 *   <li>PRM {@code soft} (OmegaPRM): target {@code mc_value} at each step's last token;
 *   <li>PRM {@code hard} (Math-Shepherd): target {@code mc_value > 0} at each step's last token.
 * </ul>
 * Metric {@code accuracy}: {@code (logit > 0) == (target ≥ 0.5)} over labelled positions.
 */
public final class ScalarBceObjective implements Objective<RewardBatch> {
  private final RewardModel model;

  /** @param model a reward model with a scalar head */
  public ScalarBceObjective(RewardModel model) {
    this.model = model;
  }

  @Override
  public StepOutput forward(RewardBatch b, NDManager step) {
    NDArray x = model.logits(b.inputIds(), b.attentionMask()).get(new NDIndex("..., 0"));
    NDArray loss = StepLosses.bce(x, b.targets(), b.labelMask(), step);
    NDArray acc = StepLosses.binaryAccuracy(x, b.targets(), b.labelMask(), step);
    return new StepOutput(loss, Map.of("accuracy", acc), b.attentionMask().sum().getLong());
  }
}
