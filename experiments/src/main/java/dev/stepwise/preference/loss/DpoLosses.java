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
   * @return the loss
   * @throws UserError for an unknown name (listing the available ones, with a did-you-mean), an ε
   *     out of range, or ε &gt; 0 with a loss that ignores it (TRL only warns; a setting that does
   *     nothing is an error here)
   */
  public static DpoLoss of(String name, double labelSmoothing) {
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
        return name.equals(HingeLoss.NAME) ? new HingeLoss() : new IpoLoss();
      default:
        throw new UserError("Unknown dpo.loss_type '" + name + "'. Available: " + String.join(", ", NAMES) + "."
            + DidYouMean.hint(name, NAMES));
    }
  }
}
