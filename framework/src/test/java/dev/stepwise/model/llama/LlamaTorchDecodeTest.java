package dev.stepwise.model.llama;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.SharedModels;
import dev.stepwise.model.TokenChoice;
import dev.stepwise.model.cpu.CpuDecoding;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The libtorch decode path of Llama-family models (what a CUDA model samples with): chosen
 * automatically when the Java decoder is off, and greedy generation of the real stories260K
 * through it equals the Java decoder's token for token, with left-padded prompts repeated per row.
 */
class LlamaTorchDecodeTest {
  @Test
  void torchPathEqualsTheJavaDecoder() throws Exception {
    java.nio.file.Path dir = SharedModels.stories260k();
    long[][] prompts = {{1, 403, 407, 261, 378}, {0, 0, 1, 403, 311}};
    long[][] mask = {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}};
    int steps = 12;
    try (NDManager m = NDManager.newBaseManager(); CausalLM lm = ModelCheckpoint.load(dir, m)) {
      DecodedBlock java = generate(lm, m, prompts, mask, steps);
      String before = System.getProperty(CpuDecoding.PROPERTY);
      System.setProperty(CpuDecoding.PROPERTY, "torch");
      try {
        try (KvCache c = lm.newCache(m, 1, 4)) {
          assertInstanceOf(LlamaTorchCache.class, c, "the decoder switch selects the libtorch path");
        }
        DecodedBlock torch = generate(lm, m, prompts, mask, steps);
        assertArrayEquals(java.ids(), torch.ids(), "greedy tokens");
        for (int i = 0; i < java.logprobs().length; i++) {
          assertEquals(java.logprobs()[i], torch.logprobs()[i], 1e-3, "log-prob " + i);
        }
        float[] a = java.logits().toFloatArray(), b = torch.logits().toFloatArray();
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], 1e-3, "final logits " + i);
        }
      } finally {
        if (before == null) {
          System.clearProperty(CpuDecoding.PROPERTY);
        } else {
          System.setProperty(CpuDecoding.PROPERTY, before);
        }
      }
      try (KvCache c = lm.newCache(m, 1, 4)) {
        assertFalse(c instanceof LlamaTorchCache, "a CPU model with the Vector API decodes in Java");
      }
    }
  }

  /** Prefill, repeat each row twice, then a greedy block. */
  private static DecodedBlock generate(CausalLM lm, NDManager m, long[][] prompts, long[][] mask, int steps) {
    int t = prompts[0].length;
    try (KvCache cache = lm.newCache(m, 2, t + steps)) {
      NDArray last = lm.decodeLast(m.create(prompts), m.create(mask), cache);
      assertEquals(2, cache.batch());
      cache.repeatRows(2);
      NDArray rep = last.repeat(0, 2);
      DecodedBlock b = lm.sampleAndDecode(rep, cache, new TokenChoice(true, 1, 0, 1), new float[4 * steps], steps, m);
      assertEquals(t + steps, cache.length());
      assertTrue(Arrays.stream(b.ids()).allMatch(x -> x >= 0 && x < lm.config().vocabSize()));
      return b;
    }
  }
}
