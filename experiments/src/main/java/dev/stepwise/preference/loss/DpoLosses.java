package dev.stepwise.preference.loss;

import dev.stepwise.config.DidYouMean;
import dev.stepwise.config.UserError;
import java.util.List;

/** Looks up a {@link DpoLoss} by its TRL {@code loss_type} name. */
public final class DpoLosses {
  /** Every supported {@code loss_type}. */
  public static final List<String> NAMES =
      List.of(SigmoidLoss.NAME, IpoLoss.NAME, HingeLoss.NAME, RobustLoss.NAME);

  private DpoLosses() {}

  /**
   * @param name {@code sigmoid}, {@code ipo}, {@code hinge} or {@code robust}
   * @param labelSmoothing ε; only {@code sigmoid} and {@code robust} use it
   * @return the loss; {@code ipo} on per-token mean log-probabilities (TRL's)
   * @throws UserError for an unknown name (listing the available ones, with a did-you-mean), an ε
   *     out of range, or ε &gt; 0 with a loss that ignores it (TRL only warns; a setting that does
   *     nothing is an error here)
   */
  public static DpoLoss of(String name, double labelSmoothing) {
    return of(name, labelSmoothing, null);
  }

  /**
   * @param name {@code sigmoid}, {@code ipo}, {@code hinge} or {@code robust}
   * @param labelSmoothing ε; only {@code sigmoid} and {@code robust} use it
   * @param ipoAverageLogProbs {@code ipo} only: true or null = per-token mean log-probabilities
   *     (TRL), false = sums (the LPR reference, {@link IpoLoss}); the other losses always sum
   * @return the loss
   * @throws UserError as {@link #of(String, double)}, and when {@code ipoAverageLogProbs} is true
   *     with a loss other than {@code ipo} (averaging would silently not happen)
   */
  public static DpoLoss of(String name, double labelSmoothing, Boolean ipoAverageLogProbs) {
    if (Boolean.TRUE.equals(ipoAverageLogProbs) && !name.equals(IpoLoss.NAME) && NAMES.contains(name)) {
      throw new UserError("dpo.ipo_average_log_probs = true has no effect with loss_type " + name
          + " (its sequence log-probabilities are sums); set it to false or use loss_type ipo");
    }
    switch (name) {
      case SigmoidLoss.NAME:
        return new SigmoidLoss(labelSmoothing);
      case RobustLoss.NAME:
        return new RobustLoss(labelSmoothing);
      case HingeLoss.NAME:
      case IpoLoss.NAME:
        if (labelSmoothing != 0) {
          throw new UserError("dpo.label_smoothing = " + labelSmoothing + " has no effect with loss_type " + name
              + "; set it to 0 or use sigmoid / robust");
        }
        return name.equals(HingeLoss.NAME) ? new HingeLoss() : new IpoLoss(!Boolean.FALSE.equals(ipoAverageLogProbs));
      default:
        throw new UserError("Unknown dpo.loss_type '" + name + "'. Available: " + String.join(", ", NAMES) + "."
            + DidYouMean.hint(name, NAMES));
    }
  }
}
