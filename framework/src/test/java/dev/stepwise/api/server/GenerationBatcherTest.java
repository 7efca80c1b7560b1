package dev.stepwise.api.server;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.generate.Completion;
import dev.stepwise.generate.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Concurrent requests share generation calls and get exactly the answers they would alone. */
class GenerationBatcherTest {
  @Test
  void concurrentGreedyRequestsAreBatchedAndUnchanged() {
    try (TinyServing tiny = new TinyServing(9)) {
      SamplingParams greedy = SamplingParams.defaults().withTemperature(0).withMaxTokens(10).withIgnoreEos(true);
      List<String> prompts = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        prompts.add("question " + i + ": " + "x".repeat(i));
      }
      List<String> alone = new ArrayList<>();
      for (String p : prompts) {
        alone.add(tiny.sampler().generate(List.of(p), greedy).get(0).get(0).text());
      }
      try (GenerationBatcher b = new GenerationBatcher(tiny.sampler(), 64, 50, 100)) {
        List<CompletableFuture<List<List<Completion>>>> all = new ArrayList<>();
        for (String p : prompts) {
          all.add(b.submit(List.of(p), greedy));
        }
        for (int i = 0; i < prompts.size(); i++) {
          assertEquals(alone.get(i), all.get(i).join().get(0).get(0).text(), "prompt " + i);
        }
        long[] counts = b.counts();
        assertEquals(12, counts[1]);
        assertTrue(counts[0] < 12, "expected batching, got " + counts[0] + " calls for 12 requests");
      }
    }
  }

  @Test
  void differentParametersAreNotMixedAndABadPromptFailsAlone() {
    try (TinyServing tiny = new TinyServing(9);
        GenerationBatcher b = new GenerationBatcher(tiny.sampler(), 64, 50, 100)) {
      SamplingParams shortP = SamplingParams.defaults().withTemperature(0).withMaxTokens(3).withIgnoreEos(true);
      SamplingParams longP = shortP.withMaxTokens(9);
      var s = b.submit(List.of("ab"), shortP);
      var l = b.submit(List.of("ab"), longP);
      var bad = b.submit(List.of("z".repeat(300)), shortP);
      assertEquals(3, s.join().get(0).get(0).tokenIds().length);
      assertEquals(9, l.join().get(0).get(0).tokenIds().length);
      var e = assertThrows(java.util.concurrent.CompletionException.class, bad::join);
      assertInstanceOf(dev.stepwise.config.UserError.class, e.getCause());
    }
  }
}
