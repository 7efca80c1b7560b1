package dev.stepwise.train;

import ai.djl.ndarray.NDManager;

/**
 * An indexed training set. The {@link Trainer} decides the order (a permutation per epoch
 * seeded by the run's seed and the epoch number), so that a resumed run sees exactly the
 * same micro-batches as an uninterrupted one.
 *
 * @param <B> the micro-batch type
 */
public interface TrainData<B> {
  /** @return the number of examples (at least 1) */
  int size();

  /**
   * Builds one micro-batch.
   *
   * @param indices example indices in {@code [0, size())}, length = micro-batch size (the
   *     last micro-batch of an epoch may be shorter)
   * @param step the manager of the current step; arrays belong to it
   */
  B collate(int[] indices, NDManager step);

  /**
   * The length of example {@code i} in tokens, for {@code trainer.group_by_length}; -1 (the
   * default) when the data does not know it.
   */
  default int length(int i) {
    return -1;
  }
}
