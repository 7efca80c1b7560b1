package dev.stepwise.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplerStats;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Devices;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import java.nio.file.Path;
import java.util.List;

/**
 * The sampling half of scripts/gpu/smoke.sh: loads a checkpoint (a Hugging Face directory) on
 * {@code bench.device} ({@code run.device} semantics: cpu, cuda, auto), samples {@code bench.n}
 * (default 32) completions of at most {@code bench.max_tokens} (default 128) tokens at
 * temperature 1 for four GSM8K-style prompts (8 each), EOS ignored so every row generates all its
 * tokens, and prints the generated tokens, the wall time and tokens/s ({@link SamplerStats}). On
 * a GPU the model decodes through libtorch (GPT-2's TorchScript step, the Llama family's {@code
 * LlamaTorchCache}); on the CPU with the Vector API, through the Java decoder. Exits non-zero
 * when fewer completions or tokens come back than asked.
 *
 * <p>Usage: {@code GpuSmokeBench <checkpoint-dir>}.
 */
public final class GpuSmokeBench {
  private GpuSmokeBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: GpuSmokeBench <checkpoint-dir>");
    }
    Device device = Devices.select(System.getProperty("bench.device", "auto"), System.getProperty("bench.precision", "fp32"));
    int n = Integer.getInteger("bench.n", 32);
    int maxTokens = Integer.getInteger("bench.max_tokens", 128);
    Path dir = Path.of(args[0]);
    List<String> prompts = List.of(
        "Question: Tom has 3 apples and buys 5 more. How many apples does he have?\nAnswer:",
        "Question: A book costs $12. How much do 4 books cost?\nAnswer:",
        "Question: Sara walks 2 km a day. How far does she walk in a week?\nAnswer:",
        "Question: There are 24 students in 3 equal groups. How many are in each group?\nAnswer:");
    try (NDManager m = NDManager.newBaseManager(); CausalLM model = ModelCheckpoint.load(dir, m)) {
      Tokenizer tok = Tokenizers.load(dir);
      Sampler sampler = new Sampler(model, tok, n);
      SamplingParams p = SamplingParams.defaults().withN(n / prompts.size()).withTemperature(1.0)
          .withMaxTokens(maxTokens).withIgnoreEos(true).withSeed(1L);
      long t0 = System.nanoTime();
      List<List<Completion>> out = sampler.generate(prompts, p);
      double wall = (System.nanoTime() - t0) / 1e9;
      SamplerStats s = sampler.lastStats();
      long completions = out.stream().mapToLong(List::size).sum();
      System.out.printf("sampling on %s (parameters on %s): %d completions, %d generated tokens in %.2f s:"
              + " %.1f tokens/s end to end, %.1f tokens/s decoding%n", device,
          model.parameters().values().iterator().next().getDevice(), completions, s.generatedTokens(), wall,
          s.tokensPerSecond(), s.decodeTokensPerSecond());
      System.out.println("first completion: " + out.get(0).get(0).text().replace("\n", "\\n"));
      if (completions != (long) (n / prompts.size()) * prompts.size() || s.generatedTokens() < completions) {
        System.err.println("sampling returned too little: " + completions + " completions, " + s.generatedTokens() + " tokens");
        System.exit(1);
      }
    }
  }
}
