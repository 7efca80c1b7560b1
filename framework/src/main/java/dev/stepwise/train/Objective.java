package dev.stepwise.train;

import ai.djl.ndarray.NDManager;

/**
 * A training objective: the loss of one micro-batch. The generic {@link Trainer} owns the
 * optimizer, schedule, accumulation, clipping, checkpoints and resume; the objective owns only
 * the math. One implementation per loss (SFT, ORM, PRM, DPO, ...).
 *
 * @param <B> the micro-batch type produced by the matching {@link TrainData}
 */
public interface Objective<B> {
  /**
   * Forward pass for one micro-batch, called inside a gradient collector. Every array it
   * creates must belong to {@code step} (closed by the trainer after the update).
   *
   * @param batch the micro-batch
   * @param step the manager of this optimizer step
   * @return the loss and metrics
   */
  StepOutput forward(B batch, NDManager step);
}
