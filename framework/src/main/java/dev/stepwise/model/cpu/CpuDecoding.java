package dev.stepwise.model.cpu;

import dev.stepwise.config.UserError;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which decoder a CPU model uses: the Java decoder of this package or the TorchScript step.
 *
 * <p>System property {@value #PROPERTY}: {@code auto} (default) uses the Java decoder when the
 * JVM has the Vector API module ({@code --add-modules=jdk.incubator.vector}, which every script of
 * the project passes and which {@code trainer.jar} and {@code sampler.jar} add by re-launching
 * themselves, {@code dev.stepwise.launch.Relaunch}) and logs once how to enable it otherwise; {@code java} requires it (a
 * {@link UserError} when the module is missing); {@code torch} always uses the TorchScript step.
 * Models on a GPU always use the TorchScript step. The first time the Java decoder is chosen it
 * logs {@code sampling with the Java CPU decoder (Vector API)} at INFO.
 */
public final class CpuDecoding {
  private CpuDecoding() {}

  /** System property naming the decoder: {@code auto}, {@code java} or {@code torch}. */
  public static final String PROPERTY = "stepwise.decoder";

  /** The JVM flag that makes the Java decoder available. */
  public static final String JVM_FLAG = "--add-modules=jdk.incubator.vector";

  private static final Logger LOG = LoggerFactory.getLogger(CpuDecoding.class);
  private static final AtomicBoolean HINTED = new AtomicBoolean();
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

  /** @return whether the Vector API module is resolved in this JVM's boot layer */
  public static boolean vectorApiPresent() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /**
   * @return whether a model on the CPU should decode with the Java decoder
   * @throws UserError when the property has another value, or is {@code java} without the module
   */
  public static boolean enabled() {
    String v = System.getProperty(PROPERTY, "auto").trim().toLowerCase(java.util.Locale.ROOT);
    switch (v) {
      case "torch":
        return false;
      case "java":
        if (!vectorApiPresent()) {
          throw new UserError(
              "-D" + PROPERTY + "=java needs the Vector API: start java with " + JVM_FLAG);
        }
        return announce();
      case "auto":
        if (vectorApiPresent()) {
          return announce();
        }
        if (HINTED.compareAndSet(false, true)) {
          LOG.info("sampling with the TorchScript decoder; start java with {} for the faster Java CPU decoder", JVM_FLAG);
        }
        return false;
      default:
        throw new UserError(PROPERTY + " must be auto, java or torch, got '" + v + "'");
    }
  }

  /** Logs once that the Java decoder samples (the line tests and users look for); @return true */
  private static boolean announce() {
    if (ANNOUNCED.compareAndSet(false, true)) {
      LOG.info("sampling with the Java CPU decoder (Vector API)");
    }
    return true;
  }
}
