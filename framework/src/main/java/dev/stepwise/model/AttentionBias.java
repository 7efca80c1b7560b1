package dev.stepwise.model;

import static dev.stepwise.model.TorchOps.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * What every family's libtorch forward needs for causal attention over a padded batch: the
 * additive causal bias (0 on and below the diagonal, −1e9 above; finite, so a fully padded query
 * row gives finite garbage instead of NaN), built once per length, the padding bias of a mask and
 * Hugging Face's position ids for left padding (the mask's cumulative sum − 1, clamped at 0).
 *
 * <p>Every array it keeps is owned by the model's manager and kept out of any enclosing {@link
 * NDScope} (the trainer closes each step's scope); the constants are tensors, never Java numbers,
 * so nothing autograd records refers to a temporary scalar (DESIGN.md, autograd trap).
 */
public final class AttentionBias {
  /** The bias of a masked key. */
  public static final float NEG = -1e9f;

  private final NDManager manager;
  private final NDArray zeroF, negF, zeroL, oneL;
  private final Map<Integer, NDArray> causal = new HashMap<>();

  /** @param manager the model's manager, which owns every array kept here */
  public AttentionBias(NDManager manager) {
    this.manager = manager;
    zeroF = manager.create(0f);
    negF = manager.create(NEG);
    zeroL = manager.create(0L);
    oneL = manager.create(1L);
    NDScope.unregister(zeroF, negF, zeroL, oneL);
  }

  /** @return the (T, T) additive causal bias, owned by the model */
  public synchronized NDArray causal(int t) {
    return causal.computeIfAbsent(t, n -> {
      float[] v = new float[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          v[i * n + j] = NEG;
        }
      }
      NDArray bias = manager.create(v, new Shape(n, n));
      NDScope.unregister(bias);
      return bias;
    });
  }

  /**
   * @param mask (B, T) 1 = real token
   * @return (B, T) int64 position ids: cumsum(mask) − 1, at least 0; owned by {@code mask}'s manager
   */
  public NDArray positions(NDArray mask) {
    return maximum(sub(cumSum(mask, 1), oneL), zeroL);
  }

  /**
   * The causal bias plus the mask's padding bias (−1e9 on padded keys).
   *
   * @param mask (B, T) 1 = real token
   * @param padShape the shape the (B, T) padding bias is viewed as before the broadcast add, ending
   *     in T (e.g. (B, 1, 1, T) for (B, H, T, T) scores)
   * @return the broadcast sum, owned by {@code mask}'s manager
   */
  public NDArray withPadding(NDArray mask, long... padShape) {
    NDArray pad = reshape(where(gt(mask, zeroL), zeroF, negF), padShape);
    return add(pad, causal((int) mask.getShape().get(1)));
  }
}
