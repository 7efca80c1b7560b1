package dev.stepwise.model.lora;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.LinearModule;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.Safetensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA on GPT-2's Conv1D projections (weights stored (in, out), PEFT's {@code fan_in_fan_out}):
 * with non-zero A and B ({@code init_lora_weights = false}) the libtorch graph (adapter term per
 * projection), the Java decoder (merged weights) and the merged checkpoint agree within 1e-4;
 * each merged weight equals W + s·(B·A)ᵀ computed here in double loops; the adapter file records
 * {@code fan_in_fan_out = true} and PEFT's (r, in) / (out, r) shapes.
 */
class Gpt2LoraTest {
  static final ModelConfig CFG = new ModelConfig("gpt2", 23, 16, 2, 2, 24, 0, 1e-5, 0.2);

  @TempDir Path tmp;

  @Test
  void conv1dAdaptersAgreeAcrossGraphDecoderAndMerge() throws Exception {
    Path base = tmp.resolve("base");
    try (NDManager m = NDManager.newBaseManager()) {
      ModelCheckpoint.save(base, new Gpt2Family().create(CFG, m, 4), null);
      LoraConfig cfg = new LoraConfig(3, 6.0, 0.0, List.of("all-linear"), null, null, false, true, null);
      LoraModel lora = new LoraModel(ModelCheckpoint.load(base, m), cfg, base.toString(), 9);
      assertEquals(4 * CFG.nLayer(), lora.adaptedModules().size());
      assertEquals(6.0 / Math.sqrt(3), lora.scaleValue(), 1e-12, "rslora: alpha / sqrt(r)");
      long[][] ids = {{1, 5, 7, 2, 9, 3, 4}, {0, 0, 6, 8, 1, 2, 3}};
      long[][] mask = {{1, 1, 1, 1, 1, 1, 1}, {0, 0, 1, 1, 1, 1, 1}};
      NDArray idArr = m.create(ids);
      NDArray maskArr = m.create(mask);
      float[] graph;
      JniUtils.setGradMode(true);
      try {
        graph = lora.logits(lora.hiddenStates(idArr, maskArr)).toFloatArray();
      } finally {
        JniUtils.setGradMode(false);
      }
      float[] java = lora.logits(lora.hiddenStates(idArr, maskArr)).toFloatArray();
      float[] cached;
      try (KvCache cache = lora.newCache(m, 2, 7)) {
        cached = lora.decode(idArr, maskArr, cache).toFloatArray();
      }
      float[] off = lora.reference().logits(lora.reference().hiddenStates(idArr, maskArr)).toFloatArray();
      Path adapter = tmp.resolve("adapter");
      ModelCheckpoint.save(adapter, lora, null);
      assertTrue(new ObjectMapper().readTree(adapter.resolve(PeftAdapter.CONFIG).toFile()).get("fan_in_fan_out").asBoolean());
      Path merged = tmp.resolve("merged");
      LoraMerge.merge(base, adapter, merged);
      CausalLM full = ModelCheckpoint.load(merged, m);
      float[] mergedLogits = full.logits(full.hiddenStates(idArr, maskArr)).toFloatArray();
      double moved = 0;
      for (int r = 0; r < 2; r++) {
        for (int i = 0; i < 7; i++) {
          if (mask[r][i] == 0) {
            continue;
          }
          for (int k = 0; k < CFG.vocabSize(); k++) {
            int o = (r * 7 + i) * CFG.vocabSize() + k;
            assertEquals(graph[o], java[o], 1e-4, "Java decoder vs graph");
            assertEquals(graph[o], cached[o], 1e-4, "decode vs graph");
            assertEquals(graph[o], mergedLogits[o], 1e-4, "merged vs base + adapter");
            moved = Math.max(moved, Math.abs(graph[o] - off[o]));
          }
        }
      }
      assertTrue(moved > 1e-3, "the adapter changes the logits: " + moved);
      Map<String, NDArray> a = Safetensors.read(adapter.resolve(PeftAdapter.WEIGHTS), m);
      Map<String, NDArray> w0 = Safetensors.read(base.resolve(ModelCheckpoint.WEIGHTS), m);
      Map<String, NDArray> w1 = Safetensors.read(merged.resolve(ModelCheckpoint.WEIGHTS), m);
      for (LinearModule mod : lora.adaptedModules()) {
        float[] la = a.get("base_model.model." + mod.name() + ".lora_A.weight").toFloatArray(); // (r, in)
        float[] lb = a.get("base_model.model." + mod.name() + ".lora_B.weight").toFloatArray(); // (out, r)
        float[] before = w0.get(mod.weight()).toFloatArray(); // (in, out)
        float[] after = w1.get(mod.weight()).toFloatArray();
        int in = mod.inFeatures();
        int out = mod.outFeatures();
        assertEquals((long) in * out, after.length);
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            double d = 0;
            for (int j = 0; j < 3; j++) {
              d += (double) lb[o * 3 + j] * la[j * in + i];
            }
            assertEquals(before[i * out + o] + lora.scaleValue() * d, after[i * out + o], 1e-5, mod.name() + "[" + i + "," + o + "]");
          }
        }
      }
    }
  }
}
