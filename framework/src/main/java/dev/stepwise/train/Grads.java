package dev.stepwise.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Access to the {@code .grad} tensors of parameters, avoiding two pitfalls of DJL 0.35's
 * engine-neutral API (found by reading the byte code of {@code PtNDArray.getGradient}):
 *
 * <ul>
 *   <li>{@code getGradient()} wraps the gradient in a NEW Java handle registered in the
 *       PARAMETER's manager; called every step it leaks one handle per parameter per step into a
 *       manager that lives as long as the model. Here the handle is moved to the step's manager.
 *   <li>when PyTorch has no gradient yet ({@code .grad} undefined: the parameter took no part in
 *       any backward) {@code getGradient()} returns a fresh zero tensor not linked to the
 *       parameter; here such parameters are reported as absent, as PyTorch's optimizers skip
 *       parameters whose {@code grad is None}.
 * </ul>
 */
final class Grads {
  private Grads() {}

  /**
   * @param params name to parameter (float arrays with gradients attached)
   * @param into the step's manager; the returned handles belong to it
   * @return name to gradient (a handle sharing the parameter's {@code .grad} storage, so in-place
   *     operations on it change the real gradient), in the iteration order of {@code params},
   *     without the parameters that have no gradient yet
   */
  static Map<String, NDArray> collect(Map<String, NDArray> params, NDManager into) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      PtNDArray g = JniUtils.getGradient((PtNDArray) e.getValue());
      if (g != null) {
        g.attach(into);
        out.put(e.getKey(), g);
      }
    }
    return out;
  }

  /**
   * Sets every defined gradient to zero in place ({@code zero_grad(set_to_none=False)}). DJL's
   * {@code GradientCollector.zeroGradients()} is not used: it only visits arrays owned directly
   * by the engine's system manager, so it misses parameters created in any other manager.
   */
  static void zero(Collection<NDArray> params) {
    for (NDArray p : params) {
      JniUtils.zeroGrad((PtNDArray) p);
    }
  }
}
