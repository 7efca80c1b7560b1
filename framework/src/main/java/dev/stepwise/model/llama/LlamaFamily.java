package dev.stepwise.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.ModelFamily;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Llama family (Touvron et al. 2023; Hugging Face {@code LlamaForCausalLM} and its relatives
 * {@code MistralForCausalLM}, {@code Qwen2ForCausalLM}, {@code Qwen3ForCausalLM}): RMSNorm
 * pre-norm blocks, rotary position embeddings, grouped-query attention, SwiGLU MLP, tied or
 * untied LM head. Registry name {@code "llama"}; the differences between the relatives are
 * switches of {@link LlamaConfig}.
 *
 * <p>Parameter names and layouts are Hugging Face's, linear weights (out, in): {@code
 * model.embed_tokens.weight} (V, D); per layer {@code model.layers.<l>.input_layernorm.weight}
 * (D), {@code self_attn.q_proj.weight} (H·d_head, D), {@code k_proj}/{@code v_proj} (KVH·d_head,
 * D), {@code o_proj} (D, H·d_head), optional q/k/v/o biases, Qwen3's {@code q_norm}/{@code
 * k_norm} (d_head), {@code post_attention_layernorm.weight} (D), {@code mlp.gate_proj}/{@code
 * up_proj} (I, D), {@code down_proj} (D, I), optional MLP biases; {@code model.norm.weight} (D);
 * {@code lm_head.weight} (V, D) when untied.
 *
 * <p>Initialisation of a fresh model (Hugging Face {@code LlamaPreTrainedModel._init_weights}):
 * linear and embedding weights ~ N(0, initializer_range), biases 0, norm weights 1; drawn in Java
 * from a generator seeded by (seed, parameter name).
 */
public final class LlamaFamily implements ModelFamily {
  /** Registry name. */
  public static final String NAME = LlamaConfigJson.FAMILY;

  @Override
  public String name() {
    return NAME;
  }

  /** @throws IllegalArgumentException when {@code config} has no Llama details */
  @Override
  public Map<String, Shape> parameterShapes(ModelConfig config) {
    LlamaConfig c = llama(config);
    int d = c.hiddenSize();
    int inter = c.intermediateSize();
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put("model.embed_tokens.weight", new Shape(c.vocabSize(), d));
    for (int l = 0; l < c.numLayers(); l++) {
      String p = "model.layers." + l + ".";
      s.put(p + "input_layernorm.weight", new Shape(d));
      linear(s, p + "self_attn.q_proj", c.qDim(), d, c.qkvBias());
      linear(s, p + "self_attn.k_proj", c.kvDim(), d, c.qkvBias());
      linear(s, p + "self_attn.v_proj", c.kvDim(), d, c.qkvBias());
      linear(s, p + "self_attn.o_proj", d, c.qDim(), c.oBias());
      if (c.qkNorm()) {
        s.put(p + "self_attn.q_norm.weight", new Shape(c.headDim()));
        s.put(p + "self_attn.k_norm.weight", new Shape(c.headDim()));
      }
      s.put(p + "post_attention_layernorm.weight", new Shape(d));
      linear(s, p + "mlp.gate_proj", inter, d, c.mlpBias());
      linear(s, p + "mlp.up_proj", inter, d, c.mlpBias());
      linear(s, p + "mlp.down_proj", d, inter, c.mlpBias());
    }
    s.put("model.norm.weight", new Shape(d));
    if (!c.tieWordEmbeddings()) {
      s.put("lm_head.weight", new Shape(c.vocabSize(), d));
    }
    return s;
  }

  private static void linear(Map<String, Shape> s, String name, int out, int in, boolean bias) {
    s.put(name + ".weight", new Shape(out, in));
    if (bias) {
      s.put(name + ".bias", new Shape(out));
    }
  }

  @Override
  public CausalLM create(ModelConfig config, NDManager manager, long seed) {
    double std = llama(config).initializerRange();
    NDManager own = manager.newSubManager();
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : parameterShapes(config).entrySet()) {
      String name = e.getKey();
      float[] v = new float[Math.toIntExact(e.getValue().size())];
      if (name.endsWith("norm.weight")) {
        Arrays.fill(v, 1f);
      } else if (name.endsWith(".weight")) {
        SplittableRandom rng = new SplittableRandom(seed ^ nameHash(name));
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * std);
        }
      }
      params.put(name, own.create(v, e.getValue()));
    }
    return new LlamaModel(config, own, params);
  }

  @Override
  public CausalLM wrap(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
    NDManager own = manager.newSubManager();
    return new LlamaModel(config, own, ModelFamily.adopt(parameterShapes(config), own, parameters));
  }

  static LlamaConfig llama(ModelConfig config) {
    if (config.llama() == null) {
      throw new IllegalArgumentException("family 'llama' needs a Llama config.json (model.path=<Hugging Face directory>), got " + config);
    }
    return config.llama();
  }

  /** 64-bit FNV-1a of the name, so each parameter has its own stream. */
  private static long nameHash(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }
}
