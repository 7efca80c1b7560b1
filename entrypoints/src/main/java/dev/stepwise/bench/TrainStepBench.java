package dev.stepwise.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import java.util.Random;

/**
 * Forward+backward time and model-FLOPs utilisation (MFU) of the next-token cross-entropy on a
 * GPT-2 of width 128, 4 layers, 4 heads, context 128, batch 16, vocabulary 100.
 *
 * <p>FLOPs per step = 6·N·tokens + 12·L·T·D·tokens (the training-FLOPs estimate of Kaplan et al.
 * 2020 / PaLM's MFU): N = 12·L·D² (the block matmul weights) + V·D (the tied LM head, a real
 * matmul); the second term is the two attention matmuls q·kᵀ and p·v over the full T×T square
 * (2·2·T·D per layer and token forward, ×3 for forward+backward). Embedding lookups, LayerNorm,
 * softmax and biases are not counted. Peak = the median fp32 throughput of a 1024³ matmul
 * measured in the same process just before. The optimizer update is not included (the trainer
 * will time the full step).
 *
 * <p>System properties: {@code bench.steps} (default 10), {@code bench.warmup} (default 3).
 */
public final class TrainStepBench {
  private TrainStepBench() {}

  public static void main(String[] args) {
    int steps = Integer.getInteger("bench.steps", 10);
    int warmup = Integer.getInteger("bench.warmup", 3);
    int b = 16;
    int t = 128;
    int d = 128;
    int layers = 4;
    int vocab = 100;
    ModelConfig cfg = new ModelConfig("gpt2", vocab, d, layers, 4, t, 0, 1e-5, 0.02);
    System.out.println("load before: " + BenchSupport.load());
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = new Gpt2Family().create(cfg, base, 0)) {
      double peak = BenchSupport.matmulPeak(base, 1024, 9);
      long n = 12L * layers * d * d + (long) vocab * d;
      long tokens = (long) b * t;
      double flops = 6.0 * n * tokens + 12.0 * layers * t * d * tokens;
      Random rnd = new Random(0);
      long[] ids = new long[b * (t + 1)];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = rnd.nextInt(vocab);
      }
      double[] total = new double[steps];
      double[] fwd = new double[steps];
      for (int s = -warmup; s < steps; s++) {
        try (NDManager m = base.newSubManager()) {
          NDArray all = m.create(ids, new Shape(b, t + 1));
          NDArray input = all.get(":, :-1");
          NDArray target = all.get(":, 1:").expandDims(2);
          long t0 = System.nanoTime();
          long t1;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logp = model.logits(model.hiddenStates(input, null)).logSoftmax(-1);
            NDArray loss = logp.gather(target, -1).mean().neg();
            loss.getFloat(); // forward done
            t1 = System.nanoTime();
            gc.backward(loss);
          }
          long t2 = System.nanoTime();
          if (s >= 0) {
            fwd[s] = (t1 - t0) / 1e9;
            total[s] = (t2 - t0) / 1e9;
          }
        }
      }
      double med = BenchSupport.median(total);
      System.out.printf("matmul peak (1024^3 fp32): %.1f GFLOP/s%n", peak / 1e9);
      System.out.printf(
          "shape: batch %d x context %d, width %d, %d layers, vocab %d; N = %d; %.2f GFLOP per step%n",
          b, t, d, layers, vocab, n, flops / 1e9);
      System.out.printf(
          "forward %.1f ms, forward+backward %.1f ms (medians of %d), %.0f tokens/s, MFU %.1f%%%n",
          1e3 * BenchSupport.median(fwd), 1e3 * med, steps, tokens / med, 100 * flops / med / peak);
    }
    System.out.println("load after:  " + BenchSupport.load());
  }
}
