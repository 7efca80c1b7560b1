package dev.stepwise.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Collection;

/**
 * Gradient clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}: the norm of
 * the vector of all gradients is {@code ||(||g₁||, …, ||gₙ||)||₂}; when clipping is on the
 * gradients are multiplied by {@code min(1, max_norm / (norm + 1e-6))}. Hugging Face logs the
 * norm BEFORE clipping as {@code grad_norm}; so do we.
 *
 * <p>Cost: one norm per gradient, one stack, one norm and one device-to-host read (the only
 * synchronisation). The trainer does not scale the gradients here: it hands {@link
 * #coefficient} to {@link AdamW#step}, whose fused kernel applies it for free.
 */
@SuppressWarnings("try") // guards (NoGrad, NDScope) are opened for their effect only
public final class GradClipper {
  /** PyTorch's guard against division by zero in the coefficient. */
  static final double EPS = 1e-6;

  private GradClipper() {}

  /**
   * @param grads the gradients (float arrays, any shapes); an empty collection has norm 0
   * @param scratch manager for the temporaries
   * @return the global L2 norm (NaN or infinite when any gradient element is)
   */
  public static double globalNorm(Collection<NDArray> grads, NDManager scratch) {
    if (grads.isEmpty()) {
      return 0.0;
    }
    NDList norms = new NDList(grads.size());
    for (NDArray g : grads) {
      NDArray n = g.norm();
      n.attach(scratch);
      norms.add(n.reshape(1));
    }
    NDArray all = NDArrays.concat(norms);
    all.attach(scratch);
    NDArray total = all.norm();
    total.attach(scratch);
    return total.getFloat();
  }

  /**
   * @param norm global norm before clipping
   * @param maxNorm {@code max_grad_norm}; &le; 0 turns clipping off
   * @return the factor to apply to every gradient, in (0, 1] (1 when off or not needed)
   */
  public static double coefficient(double norm, double maxNorm) {
    if (maxNorm <= 0 || !Double.isFinite(norm)) {
      return 1.0;
    }
    return Math.min(1.0, maxNorm / (norm + EPS));
  }

  /**
   * Clips in place (for callers that do not use {@link AdamW}'s fused scaling).
   *
   * @return the norm before clipping
   */
  public static double clip(Collection<NDArray> grads, double maxNorm, NDManager scratch) {
    double norm = globalNorm(grads, scratch);
    double c = coefficient(norm, maxNorm);
    if (c < 1.0) {
      NDArray coef = scratch.create((float) c);
      try (NoGrad ignored = NoGrad.open()) {
        for (NDArray g : grads) {
          g.muli(coef);
        }
      }
    }
    return norm;
  }
}
