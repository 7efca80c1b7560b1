package dev.stepwise.train;

import dev.stepwise.config.UserError;
import java.nio.file.Path;

/**
 * Training stopped because the loss or the gradient norm became NaN or infinite. No update was
 * applied for the failing step and no checkpoint was written after it.
 */
public final class DivergenceError extends UserError {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final transient Path lastGoodCheckpoint;

  /**
   * @param what e.g. {@code "loss is NaN"}
   * @param step the 1-based number of the optimizer step that failed
   * @param epoch fractional epoch at that step
   * @param lastGoodCheckpoint the newest complete checkpoint, or null
   */
  public DivergenceError(String what, long step, double epoch, Path lastGoodCheckpoint) {
    super(
        String.format(
            "Training diverged: %s at optimizer step %d (epoch %.2f); the update was not applied"
                + " and no checkpoint was written after it. %s Try a lower optim.lr, a longer"
                + " optim.warmup_steps, or trainer.max_grad_norm > 0.",
            what,
            step,
            epoch,
            lastGoodCheckpoint == null
                ? "No checkpoint had been written yet."
                : "The last good checkpoint is " + lastGoodCheckpoint
                    + " (trainer.resume=auto continues from it)."));
    this.step = step;
    this.lastGoodCheckpoint = lastGoodCheckpoint;
  }

  /** @return the 1-based number of the failing optimizer step */
  public long step() {
    return step;
  }

  /** @return the newest complete checkpoint, or null */
  public Path lastGoodCheckpoint() {
    return lastGoodCheckpoint;
  }
}
