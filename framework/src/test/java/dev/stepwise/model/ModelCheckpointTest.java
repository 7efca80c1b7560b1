package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint directories: bit-exact round trips, in-place restore, Hugging Face names, errors. */
class ModelCheckpointTest {
  static final AlphabetTokenizer TOK = new AlphabetTokenizer();
  static final ModelConfig CFG = new ModelConfig("gpt2", TOK.vocabSize(), 16, 2, 2, 20, 0, 1e-5, 0.02);
  static final ObjectMapper JSON = new ObjectMapper();
  static NDManager base;
  static CausalLM model;
  @TempDir Path dir;

  @BeforeAll
  static void setUp() {
    base = NDManager.newBaseManager();
    model = new Gpt2Family().create(CFG, base, 21);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    base.close();
  }

  static float[] logits(CausalLM m, NDManager mgr) {
    NDArray ids = mgr.create(new long[] {3, 1, 4, 1, 5, 9, 2, 6}, new Shape(2, 4));
    return m.logits(m.hiddenStates(ids, null)).toFloatArray();
  }

  @Test
  void saveThenLoadIsBitExact() throws Exception {
    ModelCheckpoint.save(dir, model, TOK);
    JsonNode cfg = JSON.readTree(dir.resolve("config.json").toFile());
    assertEquals("gpt2", cfg.get("model_type").asText());
    assertEquals("GPT2LMHeadModel", cfg.get("architectures").get(0).asText());
    assertEquals("gpt2", cfg.get("stepwise_family").asText());
    assertEquals(16, cfg.get("n_embd").asInt());
    assertTrue(cfg.get("tie_word_embeddings").asBoolean());
    assertTrue(cfg.get("n_inner").isNull());
    assertEquals(0, JSON.readTree(dir.resolve("generation_config.json").toFile()).get("eos_token_id").asInt());
    assertTrue(Files.exists(dir.resolve("alphabet.txt")), "tokenizer files are written");
    try (NDManager m = NDManager.newBaseManager(); CausalLM loaded = ModelCheckpoint.load(dir, m)) {
      assertEquals(CFG, loaded.config());
      assertEquals(model.parameters().keySet().stream().toList(), loaded.parameters().keySet().stream().toList());
      for (String k : model.parameters().keySet()) {
        assertArrayEquals(model.parameters().get(k).toByteArray(), loaded.parameters().get(k).toByteArray(), k);
        assertTrue(loaded.parameters().get(k).hasGradient(), "loaded parameters are trainable: " + k);
      }
      try (NDManager s = base.newSubManager(); NDManager s2 = m.newSubManager()) {
        assertArrayEquals(logits(model, s), logits(loaded, s2));
      }
    }
  }

  @Test
  void loadIntoOverwritesTheSameArraysAndTheDecoderSeesThem() throws Exception {
    ModelCheckpoint.save(dir, model, TOK);
    try (NDManager m = NDManager.newBaseManager(); CausalLM other = new Gpt2Family().create(CFG, m, 99)) {
      Map<String, NDArray> before = new LinkedHashMap<>(other.parameters());
      float[] decodedBefore = decodeOnce(other, m);
      ModelCheckpoint.loadInto(dir, other);
      for (String k : model.parameters().keySet()) {
        assertSame(before.get(k), other.parameters().get(k), "same NDArray object for " + k);
        assertArrayEquals(model.parameters().get(k).toByteArray(), other.parameters().get(k).toByteArray(), k);
      }
      float[] decodedAfter = decodeOnce(other, m);
      assertFalse(java.util.Arrays.equals(decodedBefore, decodedAfter));
      assertArrayEquals(decodeOnce(model, base), decodedAfter, 1e-6f);
    }
  }

  static float[] decodeOnce(CausalLM m, NDManager mgr) {
    try (NDManager s = mgr.newSubManager(); KvCache c = m.newCache(s, 1, 4)) {
      return m.decodeLast(s.create(new long[] {1, 2, 3}, new Shape(1, 3)), null, c).toFloatArray();
    }
  }

  @Test
  void huggingFaceNamesBuffersAndTiedHeadLoad() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(HfConfigJson.toJson(CFG, TOK)));
    Map<String, NDArray> hf = new LinkedHashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        hf.put(e.getKey().substring("transformer.".length()), e.getValue()); // old GPT-2 files
      }
      hf.put("h.0.attn.bias", m.ones(new Shape(1, 1, 20, 20)));
      hf.put("h.0.attn.masked_bias", m.create(-1e4f));
      hf.put("lm_head.weight", model.parameters().get("transformer.wte.weight"));
      Safetensors.write(dir.resolve("model.safetensors"), hf, Map.of());
      try (CausalLM loaded = ModelCheckpoint.load(dir, m)) {
        for (String k : model.parameters().keySet()) {
          assertArrayEquals(model.parameters().get(k).toByteArray(), loaded.parameters().get(k).toByteArray(), k);
        }
      }
    }
  }

  @Test
  void loadErrorsNameTheFileAndTheTensor() throws Exception {
    Path missing = dir.resolve("nope");
    UserError e = assertThrows(UserError.class, () -> ModelCheckpoint.load(missing, base));
    assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("nope"), e.getMessage());

    Files.createDirectories(dir.resolve("empty"));
    e = assertThrows(UserError.class, () -> ModelCheckpoint.load(dir.resolve("empty"), base));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("missing"), e.getMessage());

    Path ck = dir.resolve("ck");
    ModelCheckpoint.save(ck, model, TOK);
    Files.delete(ck.resolve("model.safetensors"));
    e = assertThrows(UserError.class, () -> ModelCheckpoint.load(ck, base));
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());

    // shape mismatch: config says a wider model than the weights
    ModelCheckpoint.save(ck, model, TOK);
    ObjectNode cfg = (ObjectNode) JSON.readTree(ck.resolve("config.json").toFile());
    cfg.put("n_positions", 30);
    Files.writeString(ck.resolve("config.json"), JSON.writeValueAsString(cfg));
    e = assertThrows(UserError.class, () -> ModelCheckpoint.load(ck, base));
    assertTrue(e.getMessage().contains("'transformer.wpe.weight'") && e.getMessage().contains("(30, 16)"), e.getMessage());

    // missing and unexpected tensors
    ModelCheckpoint.save(ck, model, TOK);
    Map<String, NDArray> partial = new LinkedHashMap<>(model.parameters());
    partial.remove("transformer.h.1.mlp.c_fc.bias");
    Safetensors.write(ck.resolve("model.safetensors"), partial, Map.of());
    e = assertThrows(UserError.class, () -> ModelCheckpoint.load(ck, base));
    assertTrue(e.getMessage().contains("missing tensor(s) [transformer.h.1.mlp.c_fc.bias]"), e.getMessage());
    partial.put("transformer.h.1.mlp.c_fc.bias", model.parameters().get("transformer.h.1.mlp.c_fc.bias"));
    partial.put("transformer.h.7.extra", model.parameters().get("transformer.ln_f.bias"));
    Safetensors.write(ck.resolve("model.safetensors"), partial, Map.of());
    e = assertThrows(UserError.class, () -> ModelCheckpoint.load(ck, base));
    assertTrue(e.getMessage().contains("unexpected tensor(s) [transformer.h.7.extra]"), e.getMessage());

    // loadInto a model of another depth
    ModelCheckpoint.save(ck, model, TOK);
    try (NDManager m = NDManager.newBaseManager();
        CausalLM deeper = new Gpt2Family().create(new ModelConfig("gpt2", TOK.vocabSize(), 16, 3, 2, 20, 0, 1e-5, 0.02), m, 1)) {
      e = assertThrows(UserError.class, () -> ModelCheckpoint.loadInto(ck, deeper));
      assertTrue(e.getMessage().contains("n_layer is 2 but the model has 3"), e.getMessage());
    }

    // unknown family
    cfg = (ObjectNode) JSON.readTree(ck.resolve("config.json").toFile());
    cfg.put("stepwise_family", "gtp2");
    Files.writeString(ck.resolve("config.json"), JSON.writeValueAsString(cfg));
    e = assertThrows(UserError.class, () -> ModelCheckpoint.load(ck, base));
    assertTrue(e.getMessage().contains("Did you mean 'gpt2'"), e.getMessage());
  }
}
