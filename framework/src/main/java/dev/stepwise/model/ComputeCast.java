package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.AbstractMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reduced-precision forwards over float32 weights ({@code run.precision = fp16}; docs/gpu.md): a
 * view of a model's parameter map whose {@code get} returns the parameter cast to the compute
 * type while a cast scope is open on the thread, else the parameter itself. Unlike PyTorch
 * autocast, every op of the scope runs in the compute type (softmax and RMSNorm included), not
 * only matmuls. DJL 0.35's dtype conversion ({@code toType}) records no autograd, so gradients
 * would not reach the float32 weights through a cast: the Llama graph opens scopes for no-grad
 * forwards only (generation, scoring). Casts are cached per scope (a weight used twice is cast
 * once) and belong to the scope's manager.
 */
public final class ComputeCast {
  private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

  private ComputeCast() {}

  /** An open cast scope; closing it restores the enclosing one. */
  public static final class Scope implements AutoCloseable {
    private final DataType type;
    private final NDManager manager;
    private final Scope outer;
    private final Map<NDArray, NDArray> casts = new IdentityHashMap<>();

    private Scope(DataType type, NDManager manager, Scope outer) {
      this.type = type;
      this.manager = manager;
      this.outer = outer;
    }

    @Override
    public void close() {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /**
   * Opens a scope in which {@link #view} maps return parameters cast to {@code type}.
   *
   * @param manager owns the casts (the forward's manager)
   */
  public static Scope open(DataType type, NDManager manager) {
    Scope s = new Scope(type, manager, CURRENT.get());
    CURRENT.set(s);
    return s;
  }

  /** @return a read-through view of {@code params} that casts in open scopes */
  public static Map<String, NDArray> view(Map<String, NDArray> params) {
    return new AbstractMap<>() {
      @Override
      public NDArray get(Object key) {
        NDArray w = params.get(key);
        Scope s = CURRENT.get();
        if (w == null || s == null || w.getDataType() == s.type) {
          return w;
        }
        return s.casts.computeIfAbsent(w, a -> {
          NDArray c = a.toType(s.type, false);
          c.attach(s.manager);
          return c;
        });
      }

      @Override
      public Set<Entry<String, NDArray>> entrySet() {
        return params.entrySet();
      }
    };
  }
}
