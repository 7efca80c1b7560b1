package dev.stepwise.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A JVM-wide counter of in-place parameter updates, so that decoders holding a copy of a model's
 * weights (the Java CPU decoder's snapshot of a large model) know when to take a new one without
 * comparing the weights. Everything in Stepwise that writes parameters in place calls {@link
 * #bump()}: the optimizer after each step ({@code AdamW.step}) and {@link
 * ModelCheckpoint#loadInto}. Code outside Stepwise that writes parameters in place must call it
 * too ({@link #bumpLoad} when the model may be frozen).
 */
public final class ParameterVersion {
  private static final AtomicLong VERSION = new AtomicLong();
  private static final AtomicLong LOADS = new AtomicLong();

  private ParameterVersion() {}

  /** Records that some model's parameters changed in place. */
  public static void bump() {
    VERSION.incrementAndGet();
  }

  /**
   * Records that values were written into some model's parameters regardless of whether they
   * train ({@link ModelCheckpoint#loadInto}); also counts as an update.
   */
  public static void bumpLoad() {
    LOADS.incrementAndGet();
    VERSION.incrementAndGet();
  }

  /**
   * @return the count of in-place loads: what a frozen model's snapshot depends on (optimizers
   *     only update trainable parameters, so a frozen reference model keeps its snapshot while
   *     the policy trains)
   */
  public static long loads() {
    return LOADS.get();
  }

  /** @return the current version; equal values mean no parameter was updated in between */
  public static long current() {
    return VERSION.get();
  }
}
