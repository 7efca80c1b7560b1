package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * A low-rank (or other additive) correction to some of a model's {@link LinearModule}s, which
 * the family's forwards consult: the libtorch graph adds {@link #delta} to each projection's
 * output, and the Java CPU decoder, which cannot, reads weights with the correction folded in
 * ({@link #merged}). Implemented by {@code dev.stepwise.model.lora.LoraModel}.
 */
public interface LinearAdapter {
  /**
   * @return whether the adapter applies on the calling thread now (false inside a {@code
   *     disableAdapter} scope: the model then computes exactly its base function)
   */
  boolean active();

  /**
   * The correction of one projection's output, recorded by autograd when recording is on.
   *
   * @param module the {@link LinearModule#name()}
   * @param x the projection's input, (N, in) or (..., in) float32
   * @return (..., out) float32 to add to {@code x·Wᵀ + b}, owned by {@code x}'s manager, or null
   *     when the module is not adapted
   */
  NDArray delta(String module, NDArray x);

  /**
   * The base parameters with every adapted weight replaced by its merged value (in the base's
   * own layout), computed without recording autograd.
   *
   * @param base the model's parameters by Hugging Face name
   * @param m owns the merged arrays (the caller closes it after reading them)
   * @return a map with the same keys as {@code base}
   */
  Map<String, NDArray> merged(Map<String, NDArray> base, NDManager m);
}
