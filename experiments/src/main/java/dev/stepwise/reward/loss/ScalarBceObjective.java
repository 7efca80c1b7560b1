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
 * Process reward model with the label types {@code soft} (target {@code mc_value}, OmegaPRM) and
 * {@code hard} (target {@code mc_value > 0}, Math-Shepherd): binary cross-entropy of the scalar
 * head at each step's last token only. Metric {@code accuracy}: {@code (logit > 0) == (target ≥
 * 0.5)} over labelled steps.
 */
public final class PrmBceObjective implements Objective<RewardBatch> {
  private final RewardModel model;

  /** @param model a reward model with a scalar head */
  public PrmBceObjective(RewardModel model) {
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
