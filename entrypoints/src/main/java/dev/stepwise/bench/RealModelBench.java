package dev.stepwise.bench;

import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.model.cpu.CpuDecoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real pretrained Hugging Face model: load time, peak RSS against the float32 parameter bytes,
 * sampling tokens/s at batch 1 and 32 (temperature 1, {@code ignore_eos}, 128 new tokens after a
 * real prompt, medians of {@code -Dbench.runs} runs after a warm-up) with the decoder in use, and
 * a short greedy sample. Usage: {@code RealModelBench <model dir> [batch ...]}.
 */
public final class RealModelBench {
  private RealModelBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int[] batches = args.length > 1
        ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1, 32};
    int runs = Integer.getInteger("bench.runs", 5);
    int newTokens = Integer.getInteger("bench.new_tokens", 128);
    System.out.println("model: " + dir.toAbsolutePath().normalize());
    System.out.println("decoder: " + (CpuDecoding.enabled() ? "Java CPU decoder" : "not the Java decoder (" + CpuDecoding.JVM_FLAG + "?)"));
    System.out.println("peak RSS before load: " + rssMiB("VmHWM") + " MiB");
    long t0 = System.nanoTime();
    try (NDManager base = NDManager.newBaseManager()) {
      Tokenizer tok = Tokenizers.load(dir);
      CausalLM model = ModelCheckpoint.load(dir, base);
      double loadMs = (System.nanoTime() - t0) / 1e6;
      long params = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
      double hwm = rssMiB("VmHWM");
      System.out.printf("load: %.0f ms; %d parameters = %.2f MiB float32; peak RSS after load %.0f MiB (%.1fx the float32 bytes)%n",
          loadMs, params, params * 4 / 1048576.0, hwm, hwm / (params * 4 / 1048576.0));
      Sampler sampler = new Sampler(model, tok, 64);
      String prompt = System.getProperty("bench.prompt", "Once upon a time, there was a little girl who");
      System.out.println("prompt ids: " + java.util.Arrays.stream(tok.encodePrompt(prompt)).mapToObj(String::valueOf)
          .collect(java.util.stream.Collectors.joining(",")));
      SamplingParams greedy = SamplingParams.defaults().withMaxTokens(48).withTemperature(0.0);
      System.out.println("greedy sample: " + prompt + sampler.generate(List.of(prompt), greedy).get(0).get(0).text().replace("\n", "\\n"));
      SamplingParams p = SamplingParams.defaults().withMaxTokens(newTokens).withTemperature(1.0).withIgnoreEos(true);
      for (int b : batches) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < b; i++) {
          prompts.add(prompt);
        }
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        for (int w = 0; w < 2 || System.nanoTime() < warmEnd; w++) {
          sampler.generate(prompts, p.withSeed(-1L - w));
        }
        double[] tps = new double[runs];
        for (int r = 0; r < runs; r++) {
          long s = System.nanoTime();
          List<List<Completion>> out = sampler.generate(prompts, p.withSeed((long) r));
          long tokens = out.stream().mapToLong(l -> l.get(0).tokenIds().length).sum();
          tps[r] = tokens / ((System.nanoTime() - s) / 1e9);
        }
        System.out.printf("batch %3d: %8.0f generated tok/s (median of %d; best %.0f), %d new tokens per row%n",
            b, BenchSupport.median(tps), runs, java.util.Arrays.stream(tps).max().orElse(0), newTokens);
      }
      System.out.println("peak RSS at the end: " + rssMiB("VmHWM") + " MiB");
      double peak = BenchSupport.matmulPeak(base, 512, 7);
      System.out.printf("machine fp32 matmul peak (libtorch, 512^3, all threads): %.1f GFLOP/s; a token costs about"
          + " 2*params = %.2f MFLOP (plus attention), so 10,000 tok/s = %.1f%% of the peak%n",
          peak / 1e9, 2.0 * params / 1e6, 100 * 1e4 * 2.0 * params / peak);
    }
  }

  /** @return a /proc/self/status memory field in MiB, or -1 where there is none */
  static double rssMiB(String field) throws java.io.IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }
}
