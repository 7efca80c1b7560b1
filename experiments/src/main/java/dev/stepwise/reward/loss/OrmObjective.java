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
 * Outcome reward model (Cobbe et al. 2021): binary cross-entropy of the scalar head at each
 * response's last token against its correctness (the data puts one label there, see {@code
 * OutcomeLabels.orm}). Metrics: {@code accuracy} (sign of the logit vs the label).
 */
public final class OrmObjective implements Objective<RewardBatch> {
  private final RewardModel model;

  /** @param model a reward model with a scalar head */
  public OrmObjective(RewardModel model) {
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
