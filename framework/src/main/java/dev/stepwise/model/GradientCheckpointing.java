package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * Activation (gradient) checkpointing per decoder layer, the switch Hugging Face calls {@code
 * gradient_checkpointing} ({@code torch.utils.checkpoint} around each layer): a training forward
 * keeps only the input of every decoder layer instead of every intermediate activation, and the
 * backward recomputes each layer once. Memory for activations drops from O(layers × per-layer
 * intermediates) to O(layers × B·T·D + one layer's intermediates); the price is one more forward
 * of the layer stack per step (about +30% step time for a decoder).
 *
 * <p>DJL has no {@code torch.utils.checkpoint}, so the tape does it by hand, with the
 * vector-Jacobian products libtorch's {@code backward(tensor, grad)} computes:
 *
 * <ol>
 *   <li>Forward ({@link Tape#run}): the layer stack runs with recording off, each layer in its own
 *       {@link NDScope} so its intermediates are freed at once; the input x_l of each layer is
 *       kept. The last output y is returned as a detached leaf that requires a gradient; the
 *       rest of the graph (final norm, head, the objective's loss) is recorded as usual. The
 *       embedding output x_0 keeps its (small) recorded graph.
 *   <li>The trainer's {@code backward(loss)} fills y's gradient g_L (and the head/norm parameters'
 *       gradients).
 *   <li>{@link Tape#backward()} walks the layers backwards: layer l is recomputed with recording
 *       on from a detached, grad-requiring copy of x_l, then {@code backward(y_l, g_{l+1})} adds
 *       the layer's parameter gradients (libtorch accumulates into {@code .grad}, as over
 *       micro-batches) and leaves g_l = ∂L/∂x_l in the copy's gradient. Finally {@code
 *       backward(x_0, g_0)} reaches the embeddings.
 * </ol>
 *
 * Gradients equal those of the plain forward to float rounding (the recomputation runs the same
 * ops on the same values; {@code GradientCheckpointingTest} checks 1e-5). Layers must be
 * deterministic functions of their input and the parameters (no dropout), which holds here.
 *
 * <p>Use: the trainer opens a tape per optimizer step when {@code trainer.gradient_checkpointing}
 * is on and calls {@link Tape#backward()} after each micro-batch's backward; models call {@link
 * #active} in their layer loop and, when it returns a tape, run the stack through it. Every
 * objective thus gets checkpointing without change. A model whose parameters all have
 * recording off (a frozen reference model), or a forward outside grad mode, runs plainly.
 * Thread-confined: the tape belongs to the thread that opened it.
 */
public final class GradientCheckpointing {
  private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();

  private GradientCheckpointing() {}

  /** One decoder layer: (B·T, D) input to (B·T, D) output, recorded when grad mode is on. */
  @FunctionalInterface
  public interface Layer {
    /**
     * @param index the layer, 0-based
     * @param x its input
     * @return its output
     */
    NDArray apply(int index, NDArray x);
  }

  /**
   * Opens a tape on this thread; forwards of trainable models in grad mode checkpoint their layers
   * into it until it is closed.
   *
   * @throws IllegalStateException when a tape is already open on this thread
   */
  public static Tape open() {
    if (CURRENT.get() != null) {
      throw new IllegalStateException("a gradient-checkpointing tape is already open on this thread");
    }
    Tape t = new Tape();
    CURRENT.set(t);
    return t;
  }

  /**
   * @param params the model's parameters
   * @return the thread's open tape when the forward should be checkpointed (a tape is open,
   *     recording is on and at least one parameter requires a gradient), else null
   */
  public static Tape active(Collection<NDArray> params) {
    Tape t = CURRENT.get();
    if (t == null || !JniUtils.isGradMode()) {
      return null;
    }
    for (NDArray p : params) {
      if (JniUtils.requiresGrad((PtNDArray) p)) {
        return t;
      }
    }
    return null;
  }

  /** The layer stacks checkpointed since the last {@link #backward()}. */
  public static final class Tape implements AutoCloseable {
    private final Deque<Segment> segments = new ArrayDeque<>();

    private Tape() {}

    /**
     * Runs {@code n} layers from {@code x0} checkpointed (see the class comment).
     *
     * @param x0 (B·T, D) the first layer's input, with its recorded graph (the embeddings)
     * @param n layers, &ge; 1
     * @param layer the layer function, run once here without recording and once more in {@link
     *     #backward()} with recording
     * @return a leaf (B·T, D) equal to the last layer's output, requiring a gradient, owned by
     *     {@code x0}'s manager
     */
    public NDArray run(NDArray x0, int n, Layer layer) {
      NDArray[] inputs = new NDArray[n];
      NDArray x = detach(x0);
      JniUtils.setGradMode(false);
      try {
        for (int l = 0; l < n; l++) {
          inputs[l] = x;
          try (NDScope scope = new NDScope()) {
            x = layer.apply(l, x);
            NDScope.unregister(x);
          }
        }
      } finally {
        JniUtils.setGradMode(true);
      }
      NDArray out = x; // already detached: made without recording
      JniUtils.attachGradient((PtNDArray) out, true);
      segments.push(new Segment(x0, inputs, out, layer));
      return out;
    }

    /**
     * Completes the backward of every stack run since the last call (newest first), after the
     * loss's own backward filled the stacks' output gradients. Adds into the parameters'
     * gradients; frees the kept layer inputs.
     */
    public void backward() {
      while (!segments.isEmpty()) {
        segments.pop().backward();
      }
    }

    /** Forgets un-completed stacks and detaches the tape from the thread. */
    @Override
    public void close() {
      segments.forEach(Segment::free);
      segments.clear();
      if (CURRENT.get() == this) {
        CURRENT.remove();
      }
    }
  }

  private record Segment(NDArray x0, NDArray[] inputs, NDArray out, Layer layer) {
    void backward() {
      NDArray g = JniUtils.getGradient((PtNDArray) out); // null: the loss did not use the output
      out.close();
      if (g == null) {
        free();
        return;
      }
      NDScope.unregister(g);
      for (int l = inputs.length - 1; l >= 0; l--) {
        NDArray gIn;
        try (NDScope scope = new NDScope()) {
          NDArray x = detach(inputs[l]);
          JniUtils.attachGradient((PtNDArray) x, true);
          NDArray y = layer.apply(l, x);
          JniUtils.backward((PtNDArray) y, (PtNDArray) g, false, false);
          gIn = JniUtils.getGradient((PtNDArray) x);
          NDScope.unregister(gIn);
        }
        g.close();
        if (l > 0) {
          inputs[l].close(); // inputs[0] shares x0's storage and is closed with it below
        }
        g = gIn;
      }
      // JniUtils.requiresGrad reads false for non-leaf tensors; a recorded x0 has a grad_fn
      String fn = JniUtils.getGradientFunctionNames((PtNDArray) x0);
      if (fn != null && !fn.isEmpty()) {
        JniUtils.backward((PtNDArray) x0, (PtNDArray) g, false, false);
      }
      g.close();
      inputs[0].close();
    }

    void free() {
      for (NDArray a : inputs) {
        a.close();
      }
      out.close();
    }
  }

  private static NDArray detach(NDArray a) {
    return JniUtils.detachGradient((PtNDArray) a);
  }
}
