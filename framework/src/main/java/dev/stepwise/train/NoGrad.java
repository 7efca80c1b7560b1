package dev.stepwise.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch autograd recording off for the current thread until closed, then restores the
 * previous mode ({@code torch.no_grad()}).
 *
 * <p>Why it exists: PyTorch's grad mode is thread-local. DJL's {@code PtEngine} switches it off
 * only on the thread that first loads the engine; every other thread starts with libtorch's
 * default (recording on). In-place updates of parameters (optimizer steps, loading a
 * checkpoint) must run with recording off, or PyTorch refuses them ("a leaf Variable that
 * requires grad is being used in an in-place operation") or records useless graphs; evaluation
 * forwards should not build graphs either. {@code PtGradientCollector} switches recording on in
 * its constructor and restores "off" in {@code close()} only if it was off before.
 */
public final class NoGrad implements AutoCloseable {
  private final boolean previous;

  private NoGrad() {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
  }

  /** @return a guard; recording stays off on this thread until {@link #close()} */
  public static NoGrad open() {
    return new NoGrad();
  }

  /** Restores the mode that was active when {@link #open()} was called. */
  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
