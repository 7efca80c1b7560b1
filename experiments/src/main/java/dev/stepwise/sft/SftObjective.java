package dev.stepwise.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.train.Objective;
import dev.stepwise.train.StepOutput;
import dev.stepwise.train.TokenLogProbs;
import java.util.Map;

/**
 * Completion-only causal-LM cross-entropy: {@code loss = -Σ mask·log p(label) / Σ mask} over
 * the micro-batch's completion tokens (TRL {@code SFTTrainer} with {@code
 * completion_only_loss=True}). Metric {@code mean_token_accuracy}: the fraction of completion
 * tokens whose argmax prediction equals the label, in [0, 1].
 */
public final class SftObjective implements Objective<SftBatch> {
  private final CausalLM model;

  /** @param model the policy being trained */
  public SftObjective(CausalLM model) {
    this.model = model;
  }

  @Override
  public StepOutput forward(SftBatch batch, NDManager step) {
    NDArray logits = model.logits(model.hiddenStates(batch.inputIds(), batch.attentionMask()));
    NDArray logp = TokenLogProbs.of(logits, batch.labels());
    NDArray mask = batch.lossMask();
    NDArray count = mask.sum().maximum(step.create(1f));
    NDArray loss = logp.mul(mask).sum().neg().div(count);
    NDArray correct =
        logits.argMax(-1).eq(batch.labels()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(mask).sum();
    long tokens = batch.attentionMask().sum().getLong();
    return new StepOutput(loss, Map.of("mean_token_accuracy", correct.div(count)), tokens);
  }
}
