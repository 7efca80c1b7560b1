package dev.stepwise.reward.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.reward.data.RewardBatch;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.train.Objective;
import dev.stepwise.train.StepOutput;
import java.util.Map;

/**
 * Process reward model with the label type {@code classes} (Jiao et al. 2024's reference): the
 * head has k+1 logits and is trained with cross-entropy against the state's value (the number of
 * its k rollouts that reached the correct answer), at each step's last token only. Metric {@code
 * accuracy}: argmax class equals the value.
 */
public final class PrmClassObjective implements Objective<RewardBatch> {
  private final RewardModel model;

  /** @param model a reward model with a k+1-class head */
  public PrmClassObjective(RewardModel model) {
    this.model = model;
  }

  @Override
  public StepOutput forward(RewardBatch b, NDManager step) {
    NDArray x = model.logits(b.inputIds(), b.attentionMask());
    NDArray loss = StepLosses.crossEntropy(x, b.classes(), b.labelMask(), step);
    NDArray acc = StepLosses.classAccuracy(x, b.classes(), b.labelMask(), step);
    return new StepOutput(loss, Map.of("accuracy", acc), b.attentionMask().sum().getLong());
  }
}
