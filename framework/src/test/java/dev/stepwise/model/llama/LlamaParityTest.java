package dev.stepwise.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.TokenChoice;
import dev.stepwise.model.cpu.CpuDecoding;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both compute paths of the Llama family (the libtorch graph and the Java CPU decoder, full
 * forward and incremental) against the independent NumPy reference, on random Hugging Face
 * directories of every variant in float32 and bfloat16 files: logits within 1e-4 at every real
 * position of a batch with a left-padded row, and greedy generation token-for-token equal
 * between the two paths.
 */
class LlamaParityTest {
  static final double TOL = 1e-4;

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} {1} shards={2}")
  @CsvSource({
    "llama, F32, 1", "llama, BF16, 2", "llama3, F32, 1", "llama3, BF16, 1", "llama_linear, F32, 1",
    "mistral, F32, 1", "mistral, BF16, 1", "qwen2, F32, 1", "qwen2, BF16, 3", "qwen3, F32, 1", "qwen3, BF16, 1",
    "mha, F32, 1"
  })
  void bothPathsMatchTheReference(String variant, String dtype, int shards) throws Exception {
    assertTrue(CpuDecoding.enabled(), "tests run with the Vector API module (pom's argLine)");
    Path dir = PythonReference.make(tmp.resolve("m"), variant, dtype, 7, shards);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM lm = ModelCheckpoint.load(dir, m);
      LlamaModel model = (LlamaModel) lm;
      int v = lm.config().vocabSize();
      int t = Math.min(12, model.llama().maxPositions());
      long[][] ids = new long[2][t];
      long[][] mask = new long[2][t];
      SplittableRandom rng = new SplittableRandom(3);
      for (int r = 0; r < 2; r++) {
        for (int i = 0; i < t; i++) {
          boolean pad = r == 1 && i < 3;
          ids[r][i] = pad ? 0 : rng.nextInt(v);
          mask[r][i] = pad ? 0 : 1;
        }
      }
      float[] ref = PythonReference.forward(dir, ids, mask);
      assertEquals(2L * t * v, ref.length);
      NDArray idArr = m.create(ids);
      NDArray maskArr = m.create(mask);
      float[] graph = lm.logits(model.graphHiddenStates(idArr, maskArr)).toFloatArray();
      float[] java = lm.logits(lm.hiddenStates(idArr, maskArr)).toFloatArray();
      float[] cached;
      try (KvCache cache = lm.newCache(m, 2, t)) {
        cached = lm.decode(idArr, maskArr, cache).toFloatArray();
      }
      assertClose(ref, graph, mask, v, "libtorch graph");
      assertClose(ref, java, mask, v, "Java full forward");
      assertClose(ref, cached, mask, v, "Java decoder prefill");
      greedyAgrees(lm, model, m, v);
    }
  }

  /** max |a − b| ≤ TOL over the real positions. */
  private static void assertClose(float[] ref, float[] got, long[][] mask, int v, String what) {
    int t = mask[0].length;
    double max = 0;
    for (int r = 0; r < mask.length; r++) {
      for (int i = 0; i < t; i++) {
        if (mask[r][i] == 0) {
          continue;
        }
        for (int k = 0; k < v; k++) {
          int o = (r * t + i) * v + k;
          max = Math.max(max, Math.abs(ref[o] - got[o]));
        }
      }
    }
    assertTrue(max <= TOL, what + ": max |logit difference| " + max + " > " + TOL);
  }

  /** Greedy continuation of a 6-token prompt: the Java decoder's block sampler vs recomputing the graph. */
  private static void greedyAgrees(CausalLM lm, LlamaModel model, NDManager m, int v) {
    int prompt = 6;
    int steps = Math.min(64, model.llama().maxPositions() - prompt);
    long[] ids = new long[prompt + steps];
    for (int i = 0; i < prompt; i++) {
      ids[i] = (i * 7 + 3) % v;
    }
    long[] java;
    try (KvCache cache = lm.newCache(m, 1, prompt + steps)) {
      NDArray last = lm.decodeLast(m.create(new long[][] {Arrays.copyOf(ids, prompt)}), null, cache);
      DecodedBlock block = lm.sampleAndDecode(last, cache, new TokenChoice(true, 1, 0, 1), new float[steps], steps, m);
      java = block.ids();
    }
    for (int s = 0; s < steps; s++) {
      NDArray h = model.graphHiddenStates(m.create(new long[][] {Arrays.copyOf(ids, prompt + s)}), null);
      float[] logits = lm.logits(h).toFloatArray();
      int best = 0;
      int o = (prompt + s - 1) * v;
      for (int k = 1; k < v; k++) {
        if (logits[o + k] > logits[o + best]) {
          best = k;
        }
      }
      ids[prompt + s] = best;
    }
    assertArrayEquals(Arrays.copyOfRange(ids, prompt, prompt + steps), java, "greedy ids: graph vs Java decoder");
  }
}
