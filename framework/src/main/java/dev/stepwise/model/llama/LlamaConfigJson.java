package dev.stepwise.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import dev.stepwise.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Reads a Hugging Face Llama-family {@code config.json} into a {@link ModelConfig} with its
 * {@link LlamaConfig}, strictly: an unsupported {@code model_type}, activation, rotary scaling or
 * sliding-window setting is a {@link UserError} naming the file and the key, never a silent
 * approximation.
 *
 * <p>Per {@code model_type} (Hugging Face's configuration classes): {@code llama} (Llama 2/3.x,
 * SmolLM, TinyLlama; {@code attention_bias} gives q/k/v/o biases, {@code mlp_bias} MLP biases),
 * {@code mistral} (no biases; {@code sliding_window} limits the usable context, see {@link
 * LlamaConfig#maxPositions}), {@code qwen2} (q/k/v biases, o without), {@code qwen3} (per-head
 * q/k RMSNorm, explicit {@code head_dim}, {@code attention_bias}). Defaults where a key is
 * absent follow those classes: {@code num_key_value_heads} = heads, {@code head_dim} = hidden /
 * heads, {@code rms_norm_eps} 1e-6, {@code rope_theta} 10000, {@code max_position_embeddings}
 * 2048, {@code tie_word_embeddings} false. {@code rope_theta} and the scaling are also read from
 * {@code rope_parameters} (the newer layout).
 */
public final class LlamaConfigJson {
  /** The family name these configs load as. */
  public static final String FAMILY = "llama";

  /** {@code model_type} values this family implements. */
  public static final Set<String> MODEL_TYPES = Set.of("llama", "mistral", "qwen2", "qwen3");

  private static final ObjectMapper JSON = new ObjectMapper();

  private LlamaConfigJson() {}

  /** @return whether {@code modelType} is one of {@link #MODEL_TYPES} */
  public static boolean handles(String modelType) {
    return MODEL_TYPES.contains(modelType);
  }

  /**
   * @param n the parsed {@code config.json}
   * @param file its path, for messages
   * @return the shape (family {@code llama}) with its Llama details
   * @throws UserError when a key is missing, has the wrong type, or names something this family
   *     does not implement
   */
  public static ModelConfig read(JsonNode n, Path file) {
    String type = n.path("model_type").asText("");
    if (!handles(type)) {
      throw new UserError(file + ": model_type '" + type + "' is not a Llama-family model (supported: "
          + List.copyOf(new java.util.TreeSet<>(MODEL_TYPES)) + ", and gpt2)");
    }
    String act = n.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new UserError(file + ": hidden_act '" + act + "' is not supported (the Llama family uses 'silu')");
    }
    double partial = n.path("partial_rotary_factor").asDouble(1.0);
    if (partial != 1.0) {
      throw new UserError(file + ": partial_rotary_factor " + partial + " is not supported (only 1.0)");
    }
    int hidden = positive(n, "hidden_size", file);
    int heads = positive(n, "num_attention_heads", file);
    int kvHeads = n.hasNonNull("num_key_value_heads") ? positive(n, "num_key_value_heads", file) : heads;
    if (heads % kvHeads != 0) {
      throw new UserError(file + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
    }
    int headDim = n.hasNonNull("head_dim") ? positive(n, "head_dim", file) : hidden / heads;
    if (!n.hasNonNull("head_dim") && hidden % heads != 0) {
      throw new UserError(file + ": hidden_size " + hidden + " is not divisible by num_attention_heads " + heads + " and no head_dim is given");
    }
    if (headDim % 2 != 0) {
      throw new UserError(file + ": head_dim " + headDim + " must be even for rotary embeddings");
    }
    int maxPos = n.hasNonNull("max_position_embeddings") ? positive(n, "max_position_embeddings", file) : 2048;
    maxPos = slidingWindow(n, type, maxPos, file);
    JsonNode ropeParams = n.path("rope_parameters");
    double theta = n.hasNonNull("rope_theta") ? n.get("rope_theta").asDouble()
        : ropeParams.path("rope_theta").asDouble(10000.0);
    JsonNode scalingNode = n.hasNonNull("rope_scaling") ? n.get("rope_scaling") : ropeParams;
    RopeScaling scaling = ropeScaling(scalingNode, n.hasNonNull("rope_scaling") ? "rope_scaling" : "rope_parameters", file);
    boolean attnBias = n.path("attention_bias").asBoolean(false);
    boolean qkvBias = type.equals("qwen2") || attnBias;
    boolean oBias = !type.equals("qwen2") && attnBias;
    LlamaConfig c = new LlamaConfig(
        type, hidden, positive(n, "intermediate_size", file), positive(n, "num_hidden_layers", file), heads, kvHeads,
        headDim, positive(n, "vocab_size", file), maxPos, n.path("rms_norm_eps").asDouble(1e-6), theta, scaling,
        qkvBias, oBias, n.path("mlp_bias").asBoolean(false), type.equals("qwen3"),
        n.path("tie_word_embeddings").asBoolean(false), n.path("initializer_range").asDouble(0.02), n.toString());
    return toModelConfig(c);
  }

  /** @return the common shape of {@code c} with {@code c} attached */
  public static ModelConfig toModelConfig(LlamaConfig c) {
    return new ModelConfig(FAMILY, c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.maxPositions(),
        c.intermediateSize(), c.rmsNormEps(), c.initializerRange(), c);
  }

  /**
   * The {@code config.json} to save: the file the model was read from, with {@code torch_dtype}
   * set to {@code float32} (Stepwise writes float32 tensors).
   */
  public static ObjectNode toJson(LlamaConfig c) {
    try {
      ObjectNode o = (ObjectNode) JSON.readTree(c.rawJson());
      o.put("torch_dtype", "float32");
      return o;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot re-read the model's own config.json text", e);
    }
  }

  private static int slidingWindow(JsonNode n, String type, int maxPos, Path file) {
    JsonNode w = n.get("sliding_window");
    if (type.equals("mistral")) {
      if (w == null || w.isNull()) {
        return maxPos;
      }
      if (!w.canConvertToInt() || w.asInt() <= 0) {
        throw new UserError(file + ": sliding_window must be a positive integer or null, got " + w);
      }
      return Math.min(maxPos, w.asInt());
    }
    if (n.path("use_sliding_window").asBoolean(false)) {
      throw new UserError(file + ": use_sliding_window = true is not supported for " + type
          + " (layer-dependent sliding windows); set it to false for contexts within sliding_window");
    }
    return maxPos;
  }

  private static RopeScaling ropeScaling(JsonNode s, String key, Path file) {
    if (s == null || s.isNull() || s.isMissingNode() || s.isEmpty()) {
      return RopeScaling.NONE;
    }
    if (!s.isObject()) {
      throw new UserError(file + ": " + key + " must be an object or null, got " + s);
    }
    String type = s.hasNonNull("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("default");
    return switch (type) {
      case "default" -> RopeScaling.NONE;
      case "linear" -> new RopeScaling("linear", factor(s, key, file), 0, 0, 0);
      case "llama3" -> {
        double low = number(s, key, "low_freq_factor", file);
        double high = number(s, key, "high_freq_factor", file);
        if (!(high > low)) {
          throw new UserError(file + ": " + key + ".high_freq_factor " + high + " must exceed low_freq_factor " + low);
        }
        yield new RopeScaling("llama3", factor(s, key, file), low, high,
            (int) number(s, key, "original_max_position_embeddings", file));
      }
      default -> throw new UserError(file + ": " + key + ".rope_type '" + type
          + "' is not supported (supported: default, linear, llama3)");
    };
  }

  private static double factor(JsonNode s, String key, Path file) {
    double f = number(s, key, "factor", file);
    if (!(f > 0)) {
      throw new UserError(file + ": " + key + ".factor must be > 0, got " + f);
    }
    return f;
  }

  private static double number(JsonNode s, String key, String field, Path file) {
    JsonNode v = s.get(field);
    if (v == null || !v.isNumber()) {
      throw new UserError(file + ": " + key + "." + field + " is missing or not a number");
    }
    return v.asDouble();
  }

  private static int positive(JsonNode n, String key, Path file) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
      throw new UserError(file + ": key '" + key + "' is missing or not a positive integer");
    }
    return v.asInt();
  }
}
