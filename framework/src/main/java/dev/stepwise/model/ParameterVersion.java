package dev.stepwise.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A JVM-wide counter of in-place parameter updates, so that decoders holding a copy of a model's
 * weights (the Java CPU decoder's snapshot of a large model) know when to take a new one without
 * comparing the weights. Everything in Stepwise that writes parameters in place calls {@link
 * #bump()}: the optimizer after each step ({@code AdamW.step}) and {@link
 * ModelCheckpoint#loadInto}. Code outside Stepwise that writes parameters in place must call it
 * too.
 */
public final class ParameterVersion {
  private static final AtomicLong VERSION = new AtomicLong();

  private ParameterVersion() {}

  /** Records that some model's parameters changed in place. */
  public static void bump() {
    VERSION.incrementAndGet();
  }

  /** @return the current version; equal values mean no parameter was updated in between */
  public static long current() {
    return VERSION.get();
  }
}
