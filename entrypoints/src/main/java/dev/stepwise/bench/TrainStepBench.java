package dev.stepwise.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.run.Tracker;
import dev.stepwise.sft.SftData;
import dev.stepwise.sft.SftExample;
import dev.stepwise.sft.SftObjective;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.OptimConfig;
import dev.stepwise.train.TrainResult;
import dev.stepwise.train.Trainer;
import dev.stepwise.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Training throughput and model-FLOPs utilisation (MFU) of the REAL optimizer step: {@link
 * Trainer} with {@link SftObjective} on {@link SftData}, AdamW, global-norm clipping at 1.0, a
 * linear schedule, logging every step, no evaluation, no progress bar. Model: GPT-2, width 128,
 * 4 layers, 4 heads, context 128, vocabulary 100 (a character vocabulary), micro-batch 16, no
 * gradient accumulation.
 *
 * <p>Data: random token sequences of 129 tokens (ids 1..99; a 16-token prompt, 112 completion
 * tokens and EOS), so each row gives exactly 128 input positions and 128 labels with no padding;
 * the loss covers the 113 completion labels of each row (completion-only cross-entropy, as SFT
 * trains). Tokens per step = non-pad input tokens = 16 · 128 = 2048.
 *
 * <p>Timing: a {@link Tracker} records {@link System#nanoTime()} each time the trainer logs
 * (every step, right after the update); steady-state tokens/s = tokens of the timed steps /
 * wall time from the end of the last warm-up step to the end of the last timed step. The
 * per-step median is printed too. The trainer always writes a checkpoint after the final step;
 * that happens after the last timestamp and is not timed (the model hook writes nothing; the
 * optimizer state goes to a temporary directory that is deleted).
 *
 * <p>FLOPs per step = 6·N·tokens + 12·L·T·D·tokens (Kaplan et al. 2020; PaLM's MFU): N =
 * 12·L·D² (block matmul weights) + V·D (the tied LM head, a real matmul); the second term is the
 * two attention matmuls over the full T×T square. Embeddings, LayerNorm, softmax, biases and
 * the optimizer are not counted. Peak = fp32 throughput of a 1024³ matmul in this process,
 * measured before and after training; the higher of the two is used (the conservative MFU).
 *
 * <p>System properties: {@code bench.steps} timed steps (default 30), {@code bench.warmup}
 * (default 5), {@code bench.threads} intra-op threads (default: available processors), {@code
 * bench.peak_reps} matmul repetitions (default 15), {@code bench.profile} a file to which
 * libtorch's profiler writes a Chrome trace of the timed steps (op names, shapes, times; the
 * profiler slows the steps, so timings of a profiled run are not figures).
 */
public final class TrainStepBench {
  private static final int B = 16;
  private static final int T = 128;
  private static final int D = 128;
  private static final int LAYERS = 4;
  private static final int HEADS = 4;
  private static final int VOCAB = 100;
  private static final int PROMPT = 16;

  private TrainStepBench() {}

  /**
   * Records the wall-clock time of every trainer log call (one per step, on the training
   * thread); optionally runs libtorch's profiler over the timed steps.
   */
  private static final class StepClock implements Tracker {
    final List<Long> nanos = new ArrayList<>();
    final List<Double> losses = new ArrayList<>();
    final long profileFrom;
    final long profileTo;
    final String profileFile;

    StepClock(long profileFrom, long profileTo, String profileFile) {
      this.profileFrom = profileFrom;
      this.profileTo = profileTo;
      this.profileFile = profileFile;
    }

    @Override
    public void log(long step, Map<String, ?> metrics) {
      nanos.add(System.nanoTime());
      if (profileFile != null && step == profileFrom) {
        JniUtils.startProfile(false, true, false);
      } else if (profileFile != null && step == profileTo) {
        JniUtils.stopProfile(profileFile);
      }
      Object loss = metrics.get("loss");
      losses.add(loss instanceof Number n ? n.doubleValue() : Double.NaN);
    }

    @Override
    public void close() {}
  }

  public static void main(String[] args) throws IOException {
    int steps = Integer.getInteger("bench.steps", 30);
    int warmup = Integer.getInteger("bench.warmup", 5);
    int threads = Integer.getInteger("bench.threads", Runtime.getRuntime().availableProcessors());
    int peakReps = Integer.getInteger("bench.peak_reps", 15);
    if (steps < 1 || warmup < 1) {
      throw new IllegalArgumentException("bench.steps and bench.warmup must be >= 1, got " + steps + ", " + warmup);
    }
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
    System.out.println("load before: " + BenchSupport.load());
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        "engine: %s %s, intra-op threads %d%n", engine.getEngineName(), engine.getVersion(), JniUtils.getNumThreads());
    ModelConfig cfg = new ModelConfig("gpt2", VOCAB, D, LAYERS, HEADS, T, 0, 1e-5, 0.02);
    long maxSteps = warmup + steps;
    TrainerConfig tc =
        new TrainerConfig(maxSteps, null, B, 1, 1.0, 1L, 0L, maxSteps + 1, 1, "never", 0L, false);
    OptimConfig oc = new OptimConfig("adamw", 1e-3, 0.01, null, null, null, "linear", null, null, null);
    Path out = Files.createTempDirectory("stepwise-train-bench");
    String profile = System.getProperty("bench.profile");
    StepClock clock = new StepClock(warmup, maxSteps, profile);
    double peakBefore;
    double peakAfter;
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = new Gpt2Family().create(cfg, base, 0)) {
      peakBefore = BenchSupport.matmulPeak(base, 1024, peakReps);
      SftData data = new SftData(randomExamples((int) maxSteps * B, new Random(0)), T, 0);
      CheckpointHook noModelFiles =
          new CheckpointHook() {
            @Override
            public void save(Path dir) {}

            @Override
            public void load(Path dir) {
              throw new UnsupportedOperationException("the benchmark never resumes");
            }
          };
      TrainResult r =
          new Trainer<>(tc, oc, model.parameters(), new SftObjective(model), data, noModelFiles, out)
              .withTrackers(List.of(clock))
              .train();
      if (r.globalStep() != maxSteps || clock.nanos.size() != maxSteps) {
        throw new IllegalStateException(
            "expected " + maxSteps + " logged steps, got " + clock.nanos.size() + " (global step " + r.globalStep() + ")");
      }
      peakAfter = BenchSupport.matmulPeak(base, 1024, peakReps);
    } finally {
      deleteTree(out);
    }
    report(clock, warmup, steps, peakBefore, peakAfter);
    System.out.println("load after:  " + BenchSupport.load());
  }

  private static void report(StepClock c, int warmup, int steps, double peakBefore, double peakAfter) {
    long tokensPerStep = (long) B * T;
    long n = 12L * LAYERS * D * D + (long) VOCAB * D;
    double flops = 6.0 * n * tokensPerStep + 12.0 * LAYERS * T * D * tokensPerStep;
    double[] dt = new double[steps];
    for (int i = 0; i < steps; i++) {
      dt[i] = (c.nanos.get(warmup + i) - c.nanos.get(warmup + i - 1)) / 1e9;
    }
    StringBuilder each = new StringBuilder("step times ms:");
    for (double x : dt) {
      each.append(String.format(" %.0f", 1e3 * x));
    }
    System.out.println(each);
    double elapsed = (c.nanos.get(warmup + steps - 1) - c.nanos.get(warmup - 1)) / 1e9;
    double mean = elapsed / steps;
    double med = BenchSupport.median(dt);
    double peak = Math.max(peakBefore, peakAfter);
    double tps = tokensPerStep / mean;
    double mfu = flops / mean / peak;
    System.out.printf(
        "matmul peak (1024^3 fp32, median): %.1f GFLOP/s before, %.1f after; using %.1f%n",
        peakBefore / 1e9, peakAfter / 1e9, peak / 1e9);
    System.out.printf(
        "shape: GPT-2 width %d, %d layers, %d heads, context %d, batch %d, vocab %d; N = 12*L*D^2 + V*D = %d%n",
        D, LAYERS, HEADS, T, B, VOCAB, n);
    System.out.printf(
        "FLOPs per step = 6*N*tokens + 12*L*T*D*tokens = %.3f GFLOP (tokens = %d non-pad inputs)%n",
        flops / 1e9, tokensPerStep);
    System.out.printf(
        "full optimizer step (Trainer + SftObjective + AdamW + clip 1.0): mean %.1f ms, median %.1f ms,"
            + " min %.1f, max %.1f over %d steps after %d warm-up%n",
        1e3 * mean, 1e3 * med, 1e3 * Arrays.stream(dt).min().orElse(0), 1e3 * Arrays.stream(dt).max().orElse(0),
        steps, warmup);
    System.out.printf("loss: %.4f at step 1, %.4f at step %d%n", c.losses.get(0), c.losses.get(c.losses.size() - 1), c.losses.size());
    System.out.printf("java_tokens_per_second=%.0f%n", tps);
    System.out.printf("java_mfu_percent=%.1f%n", 100 * mfu);
    System.out.printf("peak_gflops=%.1f%n", peak / 1e9);
  }

  /** Random SFT rows: 16 prompt ids and 112 completion ids in 1..99, then EOS (0). */
  private static List<SftExample> randomExamples(int count, Random rnd) {
    List<SftExample> ex = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int[] prompt = new int[PROMPT];
      int[] completion = new int[T + 1 - PROMPT];
      for (int k = 0; k < prompt.length; k++) {
        prompt[k] = 1 + rnd.nextInt(VOCAB - 1);
      }
      for (int k = 0; k < completion.length - 1; k++) {
        completion[k] = 1 + rnd.nextInt(VOCAB - 1);
      }
      ex.add(new SftExample(prompt, completion)); // last completion id stays 0 = EOS
    }
    return ex;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
