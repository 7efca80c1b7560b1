package dev.stepwise.bench;

import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.cpu.CpuDecoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generation throughput with the KV cache: generated tokens per second of {@link
 * Sampler#generateIds}, end to end (prefill included) and for the decoding phase alone ({@link
 * dev.stepwise.generate.SamplerStats#decodeTokensPerSecond}), for a random-init GPT-2 of width 128, 4 layers, 4
 * heads, context 256, vocabulary 100; prompts of 32 tokens, 128 new tokens, temperature 1.0,
 * EOS ignored so every row generates all 128 tokens; median over the measured runs after
 * warm-up.
 *
 * <p>Then, unless {@code -Dbench.shared=false}, the shared-prefix rollout comparison of {@link
 * SharedPrefixBench} (issue 4): {@code bench.shared.k} (default 8) completions of {@code
 * bench.shared.completion} (default 48) tokens from one {@code bench.shared.prefix}-token
 * (default 192) prompt, shared prefill against independent generations.
 *
 * <p>Usage: {@code SamplingBench [batch ...]} (default {@code 1 32}); system properties {@code
 * bench.runs} (default 7), {@code bench.warmup} (default 2 runs, and at least {@code
 * bench.warmup_seconds}, default 2) and {@code bench.verbose} (print every run). Batches of 16 rows or more are
 * decoded by concurrent workers (see {@code dev.stepwise.generate.Sampler}); {@code
 * -Dstepwise.sampler.workers=1} measures the former single-chunk path. The decoder is the Java
 * CPU decoder when the JVM has {@code --add-modules=jdk.incubator.vector}; {@code
 * -Dstepwise.decoder=torch} measures the TorchScript decode step instead.
 */
public final class SamplingBench {
  private SamplingBench() {}

  public static void main(String[] args) {
    int[] batches = args.length == 0 ? new int[] {1, 32} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    int runs = Integer.getInteger("bench.runs", 7);
    int warmup = Integer.getInteger("bench.warmup", 2);
    int promptLen = 32;
    int newTokens = 128;
    ModelConfig cfg = new ModelConfig("gpt2", 100, 128, 4, 4, 256, 0, 1e-5, 0.02);
    System.out.println("load before: " + BenchSupport.load());
    System.out.println(
        "decoder (" + CpuDecoding.PROPERTY + "): " + System.getProperty(CpuDecoding.PROPERTY, "auto") + ", Vector API "
            + (CpuDecoding.vectorApiPresent() ? "present" : "absent (add " + CpuDecoding.JVM_FLAG + ")")
            + " -> " + (CpuDecoding.enabled() ? "Java CPU decoder" : "TorchScript decode step"));
    System.out.println(
        "decode workers (stepwise.sampler.workers): " + System.getProperty("stepwise.sampler.workers", "auto")
            + "; intra-op threads (ai.djl.pytorch.num_threads): " + System.getProperty("ai.djl.pytorch.num_threads", "default"));
    try (NDManager base = NDManager.newBaseManager();
        CausalLM model = new Gpt2Family().create(cfg, base, 0)) {
      Sampler sampler = new Sampler(model, new BenchSupport.CharVocab(), 64);
      SamplingParams p =
          SamplingParams.defaults().withMaxTokens(newTokens).withTemperature(1.0).withIgnoreEos(true).withSeed(1L);
      Random rnd = new Random(0);
      for (int b : batches) {
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < b; i++) {
          int[] ids = new int[promptLen];
          for (int k = 0; k < promptLen; k++) {
            ids[k] = 1 + rnd.nextInt(99);
          }
          prompts.add(ids);
        }
        double[] tps = new double[runs];
        double[] dec = new double[runs];
        // warm-up: the given number of runs, and at least bench.warmup_seconds, so that the JIT has
        // compiled the decode loop before timing (a batch-1 run lasts only ~30 ms)
        long warmEnd = System.nanoTime() + (long) (1e9 * Double.parseDouble(System.getProperty("bench.warmup_seconds", "2")));
        for (int w = 0; w < warmup || System.nanoTime() < warmEnd; w++) {
          sampler.generateIds(prompts, p.withSeed(-1L - w));
        }
        for (int r = 0; r < runs; r++) {
          long s = System.nanoTime();
          List<List<Completion>> out = sampler.generateIds(prompts, p.withSeed((long) r));
          double sec = (System.nanoTime() - s) / 1e9;
          long tokens = out.stream().mapToLong(l -> l.get(0).tokenIds().length).sum();
          if (tokens != (long) b * newTokens) {
            throw new IllegalStateException("expected " + b * newTokens + " tokens, got " + tokens);
          }
          tps[r] = tokens / sec;
          dec[r] = sampler.lastStats().decodeTokensPerSecond();
          if (Boolean.getBoolean("bench.verbose")) {
            System.out.printf("  batch %d run %d: %.0f tok/s end to end, %.0f decoding only%n", b, r, tps[r], dec[r]);
          }
        }
        double med = BenchSupport.median(tps);
        double medDec = BenchSupport.median(dec);
        System.out.printf(
            "batch %3d: %8.0f generated tok/s end to end (prefill included; best %.0f), %8.0f tok/s decoding only"
                + " (%.1f us per step); medians of %d runs%n",
            b, med, java.util.Arrays.stream(tps).max().orElse(0), medDec, 1e6 * b / medDec, runs);
      }
      if (Boolean.parseBoolean(System.getProperty("bench.shared", "true"))) {
        SharedPrefixBench.run(
            sampler, cfg.vocabSize(), cfg.nPositions(), Integer.getInteger("bench.shared.k", 8),
            Integer.getInteger("bench.shared.prefix", 192), Integer.getInteger("bench.shared.completion", 48),
            runs, warmup);
      }
    }
    System.out.println("load after:  " + BenchSupport.load());
  }
}
