package dev.stepwise.run;

import dev.stepwise.config.DidYouMean;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;
import java.util.List;
import java.util.Locale;

/**
 * The framework's {@code run.*} section, bound strictly (an unknown key under {@code run} is a
 * user error with did-you-mean).
 *
 * @param dir the run directory; null for {@code outputs/<config-name>/<date>/<time>/}
 * @param numThreads libtorch intra-op threads; 0 or less means the number of cores
 * @param device {@code cpu}, {@code cuda} (the first GPU; a user error when DJL sees none) or
 *     {@code auto} (CUDA when DJL sees a GPU, else the CPU; the default); see docs/gpu.md and
 *     {@code dev.stepwise.model.Devices}
 * @param precision compute precision: {@code fp32} (default); {@code fp16} (CUDA only) runs the
 *     Llama family's no-grad libtorch forwards (generation, scoring) in float16 while training
 *     stays float32; {@code bf16} is refused (DJL 0.35's JNI has no bfloat16); docs/gpu.md
 * @param stopSignals the signals that stop the run cleanly ({@link StopSignals}; names from
 *     {@link StopSignals#SUPPORTED}); null (absent) for {@code [TERM, INT]}
 * @param checkpointOnStop whether a training run writes a checkpoint when it stops on a signal;
 *     null (absent) for true
 * @throws UserError for a device or precision outside those lists (with did-you-mean)
 */
public record RunSettings(@Nullable String dir, int numThreads, @Nullable String device, @Nullable String precision,
    @Nullable List<String> stopSignals, @Nullable Boolean checkpointOnStop) {
  /** The accepted {@code run.device} values. */
  public static final List<String> DEVICES = List.of("auto", "cpu", "cuda");
  /** The accepted {@code run.precision} values. */
  public static final List<String> PRECISIONS = List.of("fp32", "bf16", "fp16");

  /** Fills the defaults ({@code auto}, {@code fp32}) and validates. */
  public RunSettings {
    device = check("run.device", device == null ? "auto" : device, DEVICES);
    precision = check("run.precision", precision == null ? "fp32" : precision, PRECISIONS);
  }

  /** Default device, precision and stop settings. */
  public RunSettings(@Nullable String dir, int numThreads) {
    this(dir, numThreads, null, null, null, null);
  }

  private static String check(String key, String value, List<String> allowed) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new UserError(key + " = '" + value + "' is not one of " + allowed + "." + DidYouMean.hint(v, allowed));
    }
    return v;
  }
}
