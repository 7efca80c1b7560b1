package dev.stepwise.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import dev.stepwise.model.llama.LlamaConfigJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ModelConfig} to and from a Hugging Face {@code config.json}: Llama-family files ({@code
 * model_type} llama, mistral, qwen2, qwen3) go to {@link LlamaConfigJson}; GPT-2 is handled here;
 * any other {@code model_type} is a {@link UserError} naming the file.
 *
 * <p>Written keys: {@code architectures: ["GPT2LMHeadModel"]}, {@code model_type: "gpt2"},
 * {@code vocab_size}, {@code n_embd}, {@code n_layer}, {@code n_head}, {@code n_positions},
 * {@code n_ctx} (= n_positions, for old readers), {@code n_inner} (null = 4·n_embd), {@code
 * layer_norm_epsilon}, {@code initializer_range}, {@code activation_function: "gelu"} (Stepwise's
 * exact GELU, so transformers reproduces our forward), dropouts 0, {@code tie_word_embeddings:
 * true}, {@code bos/eos_token_id} when a tokenizer is given, {@code torch_dtype: "float32"}, and
 * {@code stepwise_family}. Reading accepts Hugging Face GPT-2 files ({@code n_ctx} when {@code
 * n_positions} is absent, defaults for epsilon and initializer range) and warns when the
 * activation is not exact GELU.
 */
final class HfConfigJson {
  private static final Logger LOG = LoggerFactory.getLogger(HfConfigJson.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private HfConfigJson() {}

  static ObjectNode toJson(ModelConfig c, Tokenizer tokenizer) {
    if (c.llama() != null) {
      return LlamaConfigJson.toJson(c.llama());
    }
    ObjectNode o = JSON.createObjectNode();
    o.putArray("architectures").add("GPT2LMHeadModel");
    o.put("model_type", "gpt2");
    o.put("stepwise_family", c.family());
    o.put("vocab_size", c.vocabSize());
    o.put("n_embd", c.nEmbd());
    o.put("n_layer", c.nLayer());
    o.put("n_head", c.nHead());
    o.put("n_positions", c.nPositions());
    o.put("n_ctx", c.nPositions());
    if (c.nInner() > 0) {
      o.put("n_inner", c.nInner());
    } else {
      o.putNull("n_inner");
    }
    o.put("layer_norm_epsilon", c.layerNormEpsilon());
    o.put("initializer_range", c.initializerRange());
    o.put("activation_function", "gelu");
    o.put("resid_pdrop", 0.0);
    o.put("embd_pdrop", 0.0);
    o.put("attn_pdrop", 0.0);
    o.put("scale_attn_weights", true);
    o.put("tie_word_embeddings", true);
    o.put("use_cache", true);
    if (tokenizer != null) {
      o.put("bos_token_id", tokenizer.eosId());
      o.put("eos_token_id", tokenizer.eosId());
    }
    o.put("torch_dtype", "float32");
    return o;
  }

  /**
   * {@code generation_config.json}: GPT-2 checkpoints use eos as bos; a Llama-family model keeps
   * its config's {@code bos_token_id} and writes every stop id of the tokenizer as {@code
   * eos_token_id} (a list when there are several).
   */
  static ObjectNode generationConfig(ModelConfig c, Tokenizer tokenizer) {
    ObjectNode o = JSON.createObjectNode();
    if (c.llama() != null) {
      JsonNode raw = LlamaConfigJson.toJson(c.llama());
      if (raw.hasNonNull("bos_token_id")) {
        o.set("bos_token_id", raw.get("bos_token_id"));
      }
      int[] stops = tokenizer.stopIds();
      if (stops.length == 1) {
        o.put("eos_token_id", stops[0]);
      } else {
        var list = o.putArray("eos_token_id");
        java.util.Arrays.stream(stops).forEach(list::add);
      }
      o.put("pad_token_id", tokenizer.padId());
      return o;
    }
    o.put("bos_token_id", tokenizer.eosId());
    o.put("eos_token_id", tokenizer.eosId());
    o.put("pad_token_id", tokenizer.padId());
    return o;
  }

  /**
   * @throws UserError when the file is missing, not JSON, or lacks a required key (names the
   *     file and key)
   */
  static ModelConfig read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UserError(file + ": missing; a checkpoint directory needs config.json, model.safetensors"
          + " and the tokenizer files");
    }
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    String family = n.hasNonNull("stepwise_family") ? n.get("stepwise_family").asText() : text(n, "model_type", file);
    if (!n.hasNonNull("stepwise_family") && LlamaConfigJson.handles(family)) {
      return LlamaConfigJson.read(n, file);
    }
    if (!family.equals(Gpt2Family.NAME) && !n.hasNonNull("stepwise_family")) {
      throw new UserError(file + ": model_type '" + family + "' is not supported; supported: gpt2 and the Llama"
          + " family " + new java.util.TreeSet<>(LlamaConfigJson.MODEL_TYPES) + " (docs/models.md)");
    }
    String act = n.path("activation_function").asText("gelu");
    if (!act.equals("gelu")) {
      LOG.warn("{}: activation_function '{}' but Stepwise's GPT-2 uses exact GELU; activations differ by"
          + " under 1e-3", file, act);
    }
    int positions = n.hasNonNull("n_positions") ? n.get("n_positions").asInt() : integer(n, "n_ctx", file);
    return new ModelConfig(
        family,
        integer(n, "vocab_size", file),
        integer(n, "n_embd", file),
        integer(n, "n_layer", file),
        integer(n, "n_head", file),
        positions,
        n.hasNonNull("n_inner") ? n.get("n_inner").asInt() : 0,
        n.path("layer_norm_epsilon").asDouble(1e-5),
        n.path("initializer_range").asDouble(0.02));
  }

  private static int integer(JsonNode n, String key, Path file) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToInt()) {
      throw new UserError(file + ": key '" + key + "' is missing or not an integer");
    }
    return v.asInt();
  }

  private static String text(JsonNode n, String key, Path file) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual()) {
      throw new UserError(file + ": key '" + key + "' is missing or not a string");
    }
    return v.asText();
  }
}
