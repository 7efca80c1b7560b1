package dev.stepwise.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.config.UserError;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.SharedModels;
import dev.stepwise.model.lora.LoraMerge;
import dev.stepwise.model.lora.LoraModel;
import dev.stepwise.model.lora.PeftAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA on the real stories260K against the independent NumPy reference: a PEFT adapter written
 * by the reference script (not by Stepwise) with random non-zero A and B on all seven projection
 * kinds is loaded, and the libtorch graph (adapter term per projection), the Java decoder
 * (merged weights) and the merge job's checkpoint all give the reference's logits within 1e-4 at
 * every real position of a batch with a left-padded row; with the adapter off the model is the
 * base again.
 */
class LoraParityTest {
  static final double TOL = 1e-4;

  @TempDir Path tmp;

  @Test
  void peftAdapterFromAnIndependentWriterMatchesTheReference() throws Exception {
    Path dir = SharedModels.stories260k();
    Path adapter = PythonReference.makeAdapter(dir, tmp.resolve("adapter"),
        "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj", 4, 8.0, 11);
    try (NDManager m = NDManager.newBaseManager()) {
      LoraModel lora = PeftAdapter.load(adapter, ModelCheckpoint.load(dir, m), dir.toString());
      assertEquals(7 * lora.config().nLayer(), lora.adaptedModules().size());
      assertEquals(2.0, lora.scaleValue());
      LlamaModel base = (LlamaModel) lora.base();
      int v = lora.config().vocabSize();
      int t = 10;
      long[][] ids = new long[2][t];
      long[][] mask = new long[2][t];
      SplittableRandom rng = new SplittableRandom(5);
      for (int r = 0; r < 2; r++) {
        for (int i = 0; i < t; i++) {
          boolean pad = r == 1 && i < 3;
          ids[r][i] = pad ? 0 : rng.nextInt(v);
          mask[r][i] = pad ? 0 : 1;
        }
      }
      float[] ref = PythonReference.forward(dir, ids, mask, adapter);
      float[] refBase = PythonReference.forward(dir, ids, mask);
      NDArray idArr = m.create(ids);
      NDArray maskArr = m.create(mask);
      float[] graph = lora.logits(base.graphHiddenStates(idArr, maskArr)).toFloatArray();
      float[] java = lora.logits(lora.hiddenStates(idArr, maskArr)).toFloatArray();
      float[] cached;
      try (KvCache cache = lora.newCache(m, 2, t)) {
        cached = lora.decode(idArr, maskArr, cache).toFloatArray();
      }
      assertTrue(maxDiff(ref, refBase, mask, v) > 1e-2, "the adapter must change the logits for this test to mean anything");
      assertClose(ref, graph, mask, v, "libtorch graph with the adapter");
      assertClose(ref, java, mask, v, "Java decoder on merged weights");
      assertClose(ref, cached, mask, v, "Java decoder prefill on merged weights");
      CausalLM off = lora.reference();
      assertClose(refBase, off.logits(off.hiddenStates(idArr, maskArr)).toFloatArray(), mask, v, "adapter off (Java)");
      try (LoraModel.Scope s = lora.disableAdapter()) {
        assertClose(refBase, lora.logits(base.graphHiddenStates(idArr, maskArr)).toFloatArray(), mask, v, "adapter off (graph)");
      }
      assertClose(ref, lora.logits(lora.hiddenStates(idArr, maskArr)).toFloatArray(), mask, v, "adapter back on");

      Path merged = tmp.resolve("merged");
      assertEquals(lora.adaptedModules().size(), LoraMerge.merge(dir, adapter, merged));
      assertTrue(Files.isRegularFile(merged.resolve("config.json")) && Files.isRegularFile(merged.resolve("tokenizer.json")),
          "config and tokenizer copied");
      CausalLM full = ModelCheckpoint.load(merged, m);
      assertClose(ref, full.logits(full.hiddenStates(idArr, maskArr)).toFloatArray(), mask, v, "merged checkpoint");
      CausalLM viaAdapterDir = ModelCheckpoint.load(adapter, m);
      assertClose(ref, viaAdapterDir.logits(viaAdapterDir.hiddenStates(idArr, maskArr)).toFloatArray(), mask, v,
          "adapter directory loaded as a model");
    }
  }

  @Test
  void mismatchedAdapterIsAUserErrorNamingTheTensor() throws Exception {
    Path dir = SharedModels.stories260k();
    Path adapter = PythonReference.makeAdapter(dir, tmp.resolve("adapter"), "q_proj,v_proj", 4, 8.0, 1);
    // claim r = 2 in the config: every tensor then has the wrong shape
    Path cfg = adapter.resolve(PeftAdapter.CONFIG);
    Files.writeString(cfg, Files.readString(cfg).replace("\"r\": 4", "\"r\": 2"));
    try (NDManager m = NDManager.newBaseManager()) {
      UserError e = assertThrows(UserError.class, () -> PeftAdapter.load(adapter, ModelCheckpoint.load(dir, m), null));
      assertTrue(e.getMessage().contains("adapter_model.safetensors") && e.getMessage().contains("lora_"), e.getMessage());
    }
  }

  static double maxDiff(float[] a, float[] b, long[][] mask, int v) {
    int t = mask[0].length;
    double max = 0;
    for (int r = 0; r < mask.length; r++) {
      for (int i = 0; i < t; i++) {
        if (mask[r][i] == 0) {
          continue;
        }
        for (int k = 0; k < v; k++) {
          int o = (r * t + i) * v + k;
          max = Math.max(max, Math.abs(a[o] - b[o]));
        }
      }
    }
    return max;
  }

  static void assertClose(float[] ref, float[] got, long[][] mask, int v, String what) {
    double max = maxDiff(ref, got, mask, v);
    assertTrue(max <= TOL, what + ": max |logit difference| " + max + " > " + TOL);
  }
}
