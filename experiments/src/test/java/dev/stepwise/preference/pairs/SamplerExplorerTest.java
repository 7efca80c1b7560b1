package dev.stepwise.preference.pairs;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real explorer on a saved random tiny GPT-2: k continuations per prefix, the same ones for
 * the same seed, others for another seed, and an empty list for a prefix that fills the context.
 */
class SamplerExplorerTest {
  @TempDir Path tmp;

  @Test
  void kContinuationsPerPrefixDeterministicPerSeed() throws Exception {
    CharTokenizer tok = CharTokenizer.ascii();
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 16, 1, 2, 48, 0, 1e-5, 0.02), m, 3);
      ModelCheckpoint.save(tmp.resolve("ckpt"), model, tok);
    }
    SamplingParams p = SamplingParams.defaults().withTemperature(1.0).withMaxTokens(6).withIgnoreEos(true);
    String tooLong = "x".repeat(48);
    List<String> prompts = List.of("Q: 1+1?\nA:\n", "Q: 1+1?\nA:\n1+1=2\n", tooLong, "Q: 2+2?\nA:\n");
    try (SamplerExplorer ex = SamplerExplorer.load(tmp.resolve("ckpt"), p, 12)) {
      List<List<String>> a = ex.explore(prompts, 4, 11L);
      List<List<String>> b = ex.explore(prompts, 4, 11L);
      List<List<String>> c = ex.explore(prompts, 4, 12L);
      assertEquals(4, a.size());
      for (int i : new int[] {0, 1, 3}) {
        assertEquals(4, a.get(i).size(), "k continuations of prompt " + i);
        a.get(i).forEach(s -> assertFalse(s.isEmpty(), "ignore_eos: 6 tokens each"));
      }
      assertEquals(List.of(), a.get(2), "a prompt that fills the context is not explored");
      assertEquals(a, b, "same seed, same continuations");
      assertNotEquals(a, c, "another seed, other continuations");
      assertNotEquals(a.get(0), a.get(3), "different prompts draw different streams");
    }
  }
}
