package dev.stepwise.generate;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.AlphabetTokenizer;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Repeated generation must not grow resident memory or leave arrays behind (DESIGN.md, memory). */
class SamplerMemoryTest {
  static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  @Test
  void residentMemoryStaysFlatOverManyGenerations() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs Linux /proc");
    AlphabetTokenizer tok = new AlphabetTokenizer();
    // each call fills a ~3.4 MB cache (2 layers x K,V x 16 rows x 207 positions x 64 floats), so
    // a cache that is never freed grows RSS by ~140 MB over the loop (checked by hand)
    ModelConfig cfg = new ModelConfig("gpt2", tok.vocabSize(), 64, 2, 4, 256, 0, 1e-5, 0.02);
    try (NDManager base = NDManager.newBaseManager(); CausalLM model = new Gpt2Family().create(cfg, base, 1)) {
      Sampler sampler = new Sampler(model, tok, 16);
      SamplingParams p = SamplingParams.defaults().withN(4).withMaxTokens(200).withStop(List.of("zz")).withIgnoreEos(true).withSeed(1L);
      List<String> prompts = List.of("abc", "hello", "x y z", "the end");
      for (int i = 0; i < 5; i++) {
        sampler.generate(prompts, p.withSeed((long) i));
      }
      int arrays = base.getManagedArrays().size();
      // Three rounds of 40 against one baseline. Resident memory outside the heap moves by
      // ~100 MB either way between rounds without any leak (memory the allocators take and give
      // back; how much depends on what earlier tests in this JVM did), while a leak grows it by
      // about as much every round: so the smallest growth over the rounds must stay small.
      System.gc();
      long base0 = rssKb();
      long heap0 = Runtime.getRuntime().totalMemory() / 1024;
      long grown = Long.MAX_VALUE;
      List<String> rounds = new java.util.ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 40; i++) {
          sampler.generate(prompts, p.withSeed(100L + 40 * round + i));
        }
        System.gc();
        // the Java decoder's caches are heap arrays: heap the collector chose to grow is not a leak
        long heapGrown = Runtime.getRuntime().totalMemory() / 1024 - heap0;
        long g = rssKb() - base0 - Math.max(0, heapGrown);
        rounds.add(g + " kB (heap +" + heapGrown + " kB)");
        grown = Math.min(grown, g);
      }
      assertEquals(arrays, base.getManagedArrays().size(), "arrays left in the model's manager");
      assertTrue(grown < 24_000, "resident memory outside the Java heap grew in every round of 40 generations: " + rounds);
    }
  }
}
