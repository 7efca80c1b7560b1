package dev.stepwise.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import dev.stepwise.config.UserError;
import dev.stepwise.model.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019) with the exact
 * update of PyTorch's {@code torch.optim.AdamW} (single-tensor path), whose state Stepwise owns
 * so that it can be checkpointed and restored bit for bit.
 *
 * <p>For each parameter {@code p} with gradient {@code g} (already multiplied by the clipping
 * coefficient {@code s}), at step {@code t = 1, 2, ...}:
 *
 * <pre>
 *   p   &larr; p &minus; lr&middot;wd&middot;p                         (decoupled decay; wd = 0 when p.ndim &lt; 2)
 *   m   &larr; &beta;1&middot;m + (1&minus;&beta;1)&middot;g
 *   v   &larr; &beta;2&middot;v + (1&minus;&beta;2)&middot;g&sup2;
 *   p   &larr; p &minus; (lr / (1&minus;&beta;1&#x1D57;)) &middot; m / (&radic;v / &radic;(1&minus;&beta;2&#x1D57;) + &epsilon;)
 * </pre>
 *
 * <p>Parameters with fewer than two dimensions (biases, LayerNorm/RMSNorm scales) get no weight
 * decay, as Hugging Face's Trainer groups them.
 *
 * <p>Implementation: one fused libtorch call per parameter ({@code PtNDArrayEx.adamUpdate},
 * which DJL's own Adam uses but whose moments it keeps private). Its kernel computes {@code p -=
 * m·c / (√v + ε')}; passing {@code c = lr·√(1−β2ᵗ)/(1−β1ᵗ)} and {@code ε' = ε·√(1−β2ᵗ)} makes it
 * algebraically identical to PyTorch's formula above (only float32 rounding differs). The kernel
 * clones the gradient before scaling it by {@code s}, so the gradient tensor itself is not
 * changed; afterwards DJL zeroes the parameter's gradient in place. Total: about three JNI calls
 * per parameter per step, no Java-side temporaries.
 *
 * <p>State: {@code exp_avg} and {@code exp_avg_sq} per parameter, float32 arrays of the
 * parameter's shape, owned by this optimizer's manager and updated in place under {@link NoGrad};
 * one global step count (PyTorch keeps one per parameter; they differ only for parameters that
 * received no gradient in some step, which are skipped here as there).
 */
@SuppressWarnings("try") // guards (NoGrad, NDScope) are opened for their effect only
public final class AdamW implements AutoCloseable {
  /** Name of the optimizer state file inside a checkpoint directory. */
  public static final String FILE = "optimizer.safetensors";

  private final Map<String, NDArray> params;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private long step;

  /**
   * @param params name to parameter (float32, gradients attached); the map is kept, in order
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   * @param eps denominator term, &gt; 0
   * @param weightDecay decoupled weight decay coefficient, &ge; 0
   * @throws UserError when a hyper-parameter is out of range (names the {@code optim.*} key)
   */
  public AdamW(
      Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay) {
    check(beta1 >= 0 && beta1 < 1, "optim.adam_beta1", beta1, "in [0, 1)");
    check(beta2 >= 0 && beta2 < 1, "optim.adam_beta2", beta2, "in [0, 1)");
    check(eps > 0, "optim.adam_epsilon", eps, "> 0");
    check(weightDecay >= 0, "optim.weight_decay", weightDecay, ">= 0");
    if (params.isEmpty()) {
      throw new IllegalArgumentException("AdamW needs at least one parameter");
    }
    this.params = params;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.manager = NDManager.newBaseManager(params.values().iterator().next().getDevice());
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray m = manager.zeros(e.getValue().getShape(), e.getValue().getDataType());
      NDArray v = manager.zeros(e.getValue().getShape(), e.getValue().getDataType());
      NDScope.unregister(m, v); // state outlives any step scope it may be created in
      expAvg.put(e.getKey(), m);
      expAvgSq.put(e.getKey(), v);
    }
  }

  /** @return an optimizer configured by {@code optim.*} (the learning rate comes per step) */
  public static AdamW of(Map<String, NDArray> params, OptimConfig c) {
    return new AdamW(params, c.adamBeta1(), c.adamBeta2(), c.adamEpsilon(), c.weightDecay());
  }

  /**
   * Applies one update to every parameter present in {@code grads}, then zeroes those
   * parameters' gradients.
   *
   * @param grads name to gradient (from the parameters' {@code .grad}); names absent here are
   *     skipped (no gradient this step)
   * @param lr learning rate of this step, &ge; 0
   * @param gradScale factor applied to every gradient before the update (the clipping
   *     coefficient, in (0, 1]; 1 = none)
   */
  public void step(Map<String, NDArray> grads, double lr, double gradScale) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, step));
    float lrCorrected = (float) (lr * sqrtBc2 / bc1);
    float epsHat = (float) (eps * sqrtBc2);
    try (NoGrad ignored = NoGrad.open()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray g = grads.get(e.getKey());
        if (g == null) {
          continue;
        }
        NDArray p = e.getValue();
        float wd = p.getShape().dimension() >= 2 ? (float) weightDecay : 0f;
        p.getNDArrayInternal()
            .adamUpdate(
                new NDList(p, g, expAvg.get(e.getKey()), expAvgSq.get(e.getKey())),
                new NDList(p),
                (float) lr,
                lrCorrected,
                wd,
                (float) gradScale,
                -1f, // no element-wise clamp
                (float) beta1,
                (float) beta2,
                epsHat,
                false,
                true);
      }
    } finally {
      dev.stepwise.model.ParameterVersion.bump(); // decoders' weight snapshots are stale now
    }
  }

  /** @return the number of updates applied so far (PyTorch's {@code state["step"]}) */
  public long stepCount() {
    return step;
  }

  /**
   * @param into manager that owns the returned step-count tensor (the moments are returned as
   *     the optimizer's own arrays: read them, do not close them)
   * @return {@code exp_avg.<param>}, {@code exp_avg_sq.<param>} for every parameter in order,
   *     then {@code step} (int64, shape [1])
   */
  public Map<String, NDArray> state(NDManager into) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    expAvg.forEach((k, v) -> out.put("exp_avg." + k, v));
    expAvgSq.forEach((k, v) -> out.put("exp_avg_sq." + k, v));
    out.put("step", into.create(new long[] {step}));
    return out;
  }

  /**
   * Restores the state produced by {@link #state}, copying values into the existing moment
   * arrays.
   *
   * @throws UserError when a tensor is missing or has the wrong shape (names it and {@code
   *     source})
   */
  public void loadState(Map<String, NDArray> state, String source) {
    NDArray s = state.get("step");
    if (s == null) {
      throw new UserError(source + ": optimizer state has no 'step' tensor");
    }
    try (NoGrad ignored = NoGrad.open()) {
      copy(state, "exp_avg.", expAvg, source);
      copy(state, "exp_avg_sq.", expAvgSq, source);
    }
    step = s.toLongArray()[0];
  }

  /** Writes {@link #FILE} into {@code dir} (atomically). */
  public void save(Path dir) throws IOException {
    try (NDManager tmp = manager.newSubManager()) {
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("format", "pt");
      meta.put("optimizer", "adamw");
      meta.put("step", Long.toString(step));
      meta.put("betas", beta1 + "," + beta2);
      meta.put("eps", Double.toString(eps));
      meta.put("weight_decay", Double.toString(weightDecay));
      Safetensors.write(dir.resolve(FILE), state(tmp), meta);
    }
  }

  /** Restores the state from {@link #FILE} in {@code dir}. */
  public void load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    try (NDManager tmp = manager.newSubManager()) {
      loadState(Safetensors.read(file, tmp), file.toString());
    }
  }

  /** Frees the moment estimates. */
  @Override
  public void close() {
    manager.close();
  }

  private static void copy(
      Map<String, NDArray> state, String prefix, Map<String, NDArray> target, String source) {
    for (Map.Entry<String, NDArray> e : target.entrySet()) {
      NDArray src = state.get(prefix + e.getKey());
      if (src == null) {
        throw new UserError(
            source + ": optimizer state has no '" + prefix + e.getKey() + "' (a checkpoint of a"
                + " different model?)");
      }
      if (!src.getShape().equals(e.getValue().getShape())) {
        throw new UserError(
            source + ": '" + prefix + e.getKey() + "' has shape " + src.getShape()
                + ", the parameter has " + e.getValue().getShape());
      }
      e.getValue().set(new NDIndex("..."), src.toType(e.getValue().getDataType(), false));
    }
  }

  private static void check(boolean ok, String key, double value, String range) {
    if (!ok) {
      throw new UserError(key + " = " + value + " is out of range: it must be " + range);
    }
  }
}
