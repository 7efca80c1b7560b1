package dev.stepwise.lora;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.LinearModule;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Safetensors;
import dev.stepwise.model.SharedModels;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.model.lora.LoraConfig;
import dev.stepwise.model.lora.LoraMerge;
import dev.stepwise.model.lora.LoraModel;
import dev.stepwise.model.lora.PeftAdapter;
import dev.stepwise.sft.SftData;
import dev.stepwise.sft.SftObjective;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.train.AdamW;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.TinyModels;
import dev.stepwise.train.TrainResult;
import dev.stepwise.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA-SFT of the real stories260K on arith problems through the real trainer: the loss falls,
 * every adapter matrix moves, every base weight stays bit-identical, the optimizer holds state for
 * the adapter only; the checkpoint is a PEFT adapter (file names, config fields, tensor names and
 * shapes as PEFT writes them) and the merged checkpoint's logits equal base-plus-adapter logits
 * within 1e-4 (graph, Java decoder, merged model, adapter directory loaded as a model).
 */
class LoraSftTrainingTest {
  @TempDir Path out;

  @Test
  void loraSftTrainsOnlyTheAdapterAndSavesAPeftAdapter() throws Exception {
    Path dir = SharedModels.stories260k();
    ArithTask task = new ArithTask(ArithConfig.of(1, 1, 9, 99, "+-", 200, 10, 7L));
    Tokenizer tok = Tokenizers.load(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM base = ModelCheckpoint.load(dir, m);
      Map<String, float[]> baseBefore = TinyModels.snapshot(base.parameters());
      LoraConfig cfg = new LoraConfig(4, 8.0, 0.0, List.of("all-linear"), null, null, null, null, null);
      LoraModel lora = new LoraModel(base, cfg, dir.toAbsolutePath().toString(), 3);
      Map<String, float[]> before = TinyModels.snapshot(lora.parameters());
      var tracker = new TinyModels.RecordingTracker();
      CheckpointHook hook = new CheckpointHook() {
        @Override
        public void save(Path d) throws IOException {
          ModelCheckpoint.save(d, lora, tok);
        }

        @Override
        public void load(Path d) throws IOException {
          ModelCheckpoint.loadInto(d, lora);
        }
      };
      TrainResult result = new Trainer<>(
              TinyModels.trainerConfig("max_steps = 16, per_device_train_batch_size = 8, logging_steps = 4, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 2e-2, lr_scheduler_type = constant, weight_decay = 0.0"),
              lora.parameters(), new SftObjective(lora), SftData.of(task, task.problems("train", 0), tok, 512), hook, out)
          .withTrackers(List.of(tracker))
          .train();
      List<Double> loss = new ArrayList<>(tracker.series("loss").values());
      assertTrue(loss.get(loss.size() - 1) < 0.8 * loss.get(0), "loss did not fall: " + loss);
      Map<String, float[]> after = TinyModels.snapshot(lora.parameters());
      for (String name : before.keySet()) {
        assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " did not change");
      }
      Map<String, float[]> baseAfter = TinyModels.snapshot(base.parameters());
      for (String name : baseBefore.keySet()) {
        assertArrayEquals(baseBefore.get(name), baseAfter.get(name), "base weight " + name + " changed");
      }
      Path ck = result.lastCheckpoint();
      checkPeftFormat(ck, lora, dir);
      try (NDManager tmp = m.newSubManager()) {
        Set<String> optimizer = Safetensors.read(ck.resolve(AdamW.FILE), tmp).keySet();
        Set<String> expected = new TreeSet<>(List.of("step"));
        lora.parameters().keySet().forEach(k -> {
          expected.add("exp_avg." + k);
          expected.add("exp_avg_sq." + k);
        });
        assertEquals(expected, new TreeSet<>(optimizer), "optimizer state for the adapter matrices only");
      }

      NDArray ids = m.create(new long[][] {Arrays.stream(tok.encodePrompt("12 + 30 = 42")).asLongStream().toArray()});
      int v = lora.config().vocabSize();
      int t = (int) ids.getShape().get(1);
      float[] graph;
      // the libtorch graph path (adapter term per projection); lora_dropout is 0, so grad mode changes nothing else
      ai.djl.pytorch.jni.JniUtils.setGradMode(true);
      try {
        graph = lora.logits(lora.hiddenStates(ids, null)).toFloatArray();
      } finally {
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
      }
      float[] java = lora.logits(lora.hiddenStates(ids, null)).toFloatArray();
      float[] decoded;
      try (KvCache cache = lora.newCache(m, 1, t)) {
        decoded = lora.decodeLast(ids, null, cache).toFloatArray();
      }
      Path merged = out.resolve("merged");
      LoraMerge.merge(dir, ck, merged);
      CausalLM full = ModelCheckpoint.load(merged, m);
      float[] mergedLogits = full.logits(full.hiddenStates(ids, null)).toFloatArray();
      CausalLM fromAdapter = ModelCheckpoint.load(ck, m);
      float[] adapterDirLogits = fromAdapter.logits(fromAdapter.hiddenStates(ids, null)).toFloatArray();
      float[] baseLogits = lora.reference().logits(lora.reference().hiddenStates(ids, null)).toFloatArray();
      double moved = 0;
      for (int i = 0; i < graph.length; i++) {
        assertEquals(graph[i], java[i], 1e-4, "Java decoder (merged snapshot) vs graph at " + i);
        assertEquals(graph[i], mergedLogits[i], 1e-4, "merged checkpoint vs base + adapter at " + i);
        assertEquals(graph[i], adapterDirLogits[i], 1e-4, "adapter directory loaded as a model at " + i);
        moved = Math.max(moved, Math.abs(graph[i] - baseLogits[i]));
      }
      for (int k = 0; k < v; k++) {
        assertEquals(graph[(t - 1) * v + k], decoded[k], 1e-4, "decode vs graph, id " + k);
      }
      assertTrue(moved > 1e-2, "training moved the logits away from the base: " + moved);
    }
  }

  /** The files and fields PEFT's save_pretrained writes, and nothing of the base. */
  private static void checkPeftFormat(Path ck, LoraModel lora, Path base) throws IOException {
    assertTrue(Files.isRegularFile(ck.resolve("adapter_config.json")));
    assertTrue(Files.isRegularFile(ck.resolve("adapter_model.safetensors")));
    assertFalse(Files.exists(ck.resolve(ModelCheckpoint.WEIGHTS)), "a LoRA checkpoint holds no full weights");
    assertFalse(Files.exists(ck.resolve(ModelCheckpoint.CONFIG)), "no config.json: PEFT loaders read the base's");
    assertTrue(Files.isRegularFile(ck.resolve("tokenizer.json")) || Files.isRegularFile(ck.resolve("tokenizer.model")),
        "the tokenizer is saved beside the adapter");
    JsonNode c = new ObjectMapper().readTree(ck.resolve(PeftAdapter.CONFIG).toFile());
    assertEquals("LORA", c.get("peft_type").asText());
    assertEquals("CAUSAL_LM", c.get("task_type").asText());
    assertEquals(4, c.get("r").asInt());
    assertEquals(8.0, c.get("lora_alpha").asDouble());
    assertEquals(0.0, c.get("lora_dropout").asDouble());
    assertEquals("none", c.get("bias").asText());
    assertFalse(c.get("fan_in_fan_out").asBoolean());
    assertFalse(c.get("use_rslora").asBoolean());
    assertTrue(c.get("init_lora_weights").asBoolean());
    assertTrue(c.get("inference_mode").asBoolean());
    assertTrue(c.get("modules_to_save").isNull());
    assertEquals(Path.of(c.get("base_model_name_or_path").asText()), base.toAbsolutePath());
    List<String> targets = new ArrayList<>();
    c.get("target_modules").forEach(n -> targets.add(n.asText()));
    assertEquals(List.of("down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"), targets);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> t = Safetensors.read(ck.resolve(PeftAdapter.WEIGHTS), m);
      assertEquals(2 * 7 * lora.config().nLayer(), t.size());
      for (LinearModule mod : lora.adaptedModules()) {
        String pre = "base_model.model." + mod.name();
        assertTrue(mod.name().startsWith("model.layers."), mod.name());
        assertEquals(new Shape(4, mod.inFeatures()), t.get(pre + ".lora_A.weight").getShape(), pre);
        assertEquals(new Shape(mod.outFeatures(), 4), t.get(pre + ".lora_B.weight").getShape(), pre);
      }
    }
  }
}
