package dev.stepwise.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import dev.stepwise.config.UserError;
import java.lang.reflect.Field;

/**
 * Device and precision selection ({@code run.device}, {@code run.precision}; docs/gpu.md).
 *
 * <p>Every job creates its arrays with {@code NDManager.newBaseManager()}, i.e. on DJL's default
 * device ({@code Engine.defaultDevice()}: the first GPU when the engine has CUDA and sees a GPU,
 * else the CPU). {@link #select} resolves the setting and makes the resolved device the engine's
 * default, so models, optimizer state and batches all land there without each job passing a
 * device. The Java decoder runs only on CPU models; a model on a GPU samples through libtorch
 * (GPT-2: the TorchScript decoder; Llama family: {@code LlamaTorchCache}), chosen by the model
 * from its parameters' device.
 *
 * <p>CUDA needs DJL's CUDA natives on the class path (the {@code -Pcuda} Maven profile); the
 * default build carries the CPU natives only, with which DJL sees no GPU.
 */
public final class Devices {
  private static volatile DataType compute = DataType.FLOAT32;

  private Devices() {}

  /**
   * The pure decision.
   *
   * @param setting {@code cpu}, {@code cuda} or {@code auto}
   * @param gpuCount GPUs the engine sees (0 with the CPU natives)
   * @return {@code cpu()}, or {@code gpu(0)} for {@code cuda} and for {@code auto} with a GPU
   * @throws UserError for {@code cuda} without a GPU, or an unknown setting
   */
  public static Device resolve(String setting, int gpuCount) {
    switch (setting) {
      case "cpu":
        return Device.cpu();
      case "auto":
        return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
      case "cuda":
        if (gpuCount < 1) {
          throw new UserError("run.device = cuda but the engine sees no GPU: build with the CUDA natives"
              + " (mvn -Pcuda -DskipTests package; docs/gpu.md), check nvidia-smi and CUDA_VISIBLE_DEVICES,"
              + " or use run.device=cpu|auto");
        }
        return Device.gpu(0);
      default:
        throw new UserError("run.device = '" + setting + "' is not one of [auto, cpu, cuda]");
    }
  }

  /**
   * The pure decision for precision.
   *
   * @param precision {@code fp32}, {@code bf16} or {@code fp16}
   * @param device the resolved device
   * @return the compute type of libtorch forwards
   * @throws UserError for bf16/fp16 on the CPU
   */
  public static DataType computeType(String precision, Device device) {
    switch (precision) {
      case "fp32":
        return DataType.FLOAT32;
      case "bf16":
        throw new UserError("run.precision = bf16 is not available: DJL 0.35's PyTorch JNI has no bfloat16 in its"
            + " dtype table (converting a tensor to it aborts the process); use run.precision=fp16 on CUDA or fp32");
      case "fp16":
        if (!device.isGpu()) {
          throw new UserError("run.precision = fp16 is supported on CUDA only (run.device=cuda);"
              + " the CPU path trains and samples in fp32 (use run.precision=fp32)");
        }
        return DataType.FLOAT16;
      default:
        throw new UserError("run.precision = '" + precision + "' is not one of [fp32, bf16, fp16]");
    }
  }

  /**
   * Resolves {@code device} against the engine and makes it the engine's default device; records
   * the compute precision.
   *
   * @return the device
   * @throws UserError as {@link #resolve} and {@link #computeType}
   */
  public static Device select(String device, String precision) {
    Engine engine = Engine.getInstance();
    Device d = resolve(device, engine.getGpuCount());
    DataType type = computeType(precision, d);
    setDefault(engine, d);
    compute = type;
    return d;
  }

  /** @return the compute type chosen by {@link #select} (float32 until then) */
  public static DataType compute() {
    return compute;
  }

  /**
   * Sets the compute type without the device check of {@link #select}: for tests and benchmarks
   * that exercise reduced precision on the CPU (libtorch runs bfloat16 there, slowly).
   */
  public static void setCompute(DataType type) {
    compute = type;
  }

  /**
   * Sets DJL's {@code Engine.defaultDevice} (a private, lazily filled field with no setter in DJL
   * 0.35; read from its byte code) so that {@code newBaseManager()} creates arrays on {@code d}.
   */
  static void setDefault(Engine engine, Device d) {
    try {
      Field f = Engine.class.getDeclaredField("defaultDevice");
      f.setAccessible(true);
      f.set(engine, d);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot set DJL's default device (DJL version changed?): " + e, e);
    }
    if (!engine.defaultDevice().equals(d)) {
      throw new IllegalStateException("DJL's default device is " + engine.defaultDevice() + ", not " + d);
    }
  }
}
