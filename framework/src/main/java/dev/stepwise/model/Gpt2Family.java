package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * GPT-2 (Radford et al., 2019; Hugging Face {@code GPT2LMHeadModel}): learned absolute position
 * embeddings, pre-LayerNorm blocks with fused QKV attention and a 4·D GELU MLP, final LayerNorm,
 * LM head tied to the token embedding. Registry name {@code "gpt2"}.
 *
 * <p>Parameter names and layouts are Hugging Face's: linear weights are {@code Conv1D} (in, out)
 * so a projection is x·W + b. See {@link Gpt2Model} for the forward and its one deviation (exact
 * GELU).
 *
 * <p>Initialisation (Hugging Face {@code GPT2PreTrainedModel._init_weights}): embeddings and
 * linear weights ~ N(0, initializer_range), the two residual output projections ({@code
 * attn.c_proj}, {@code mlp.c_proj}) ~ N(0, initializer_range / sqrt(2·n_layer)), biases 0,
 * LayerNorm weight 1 and bias 0. Values are drawn in Java from a {@link SplittableRandom} seeded
 * by the seed and the parameter's name, so a parameter's initial value depends only on (seed,
 * name, shape).
 */
public final class Gpt2Family implements ModelFamily {
  /** Registry name. */
  public static final String NAME = "gpt2";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Shape> parameterShapes(ModelConfig c) {
    int d = c.nEmbd();
    int inner = c.innerDim();
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put("transformer.wte.weight", new Shape(c.vocabSize(), d));
    s.put("transformer.wpe.weight", new Shape(c.nPositions(), d));
    for (int i = 0; i < c.nLayer(); i++) {
      String p = "transformer.h." + i + ".";
      s.put(p + "ln_1.weight", new Shape(d));
      s.put(p + "ln_1.bias", new Shape(d));
      s.put(p + "attn.c_attn.weight", new Shape(d, 3L * d));
      s.put(p + "attn.c_attn.bias", new Shape(3L * d));
      s.put(p + "attn.c_proj.weight", new Shape(d, d));
      s.put(p + "attn.c_proj.bias", new Shape(d));
      s.put(p + "ln_2.weight", new Shape(d));
      s.put(p + "ln_2.bias", new Shape(d));
      s.put(p + "mlp.c_fc.weight", new Shape(d, inner));
      s.put(p + "mlp.c_fc.bias", new Shape(inner));
      s.put(p + "mlp.c_proj.weight", new Shape(inner, d));
      s.put(p + "mlp.c_proj.bias", new Shape(d));
    }
    s.put("transformer.ln_f.weight", new Shape(d));
    s.put("transformer.ln_f.bias", new Shape(d));
    return s;
  }

  /**
   * @throws IllegalArgumentException when a dimension is not positive or {@code n_embd} is not
   *     divisible by {@code n_head}
   */
  @Override
  public CausalLM create(ModelConfig c, NDManager manager, long seed) {
    Gpt2Model.validate(c);
    double std = c.initializerRange();
    double projStd = std / Math.sqrt(2.0 * c.nLayer());
    NDManager own = manager.newSubManager();
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : parameterShapes(c).entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue();
      float[] v = new float[Math.toIntExact(shape.size())];
      if (name.contains(".ln_") && name.endsWith(".weight")) {
        java.util.Arrays.fill(v, 1f);
      } else if (name.endsWith(".weight")) {
        double sd = name.endsWith("c_proj.weight") ? projStd : std;
        SplittableRandom rng = new SplittableRandom(seed ^ nameHash(name));
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * sd);
        }
      } // biases stay 0
      params.put(name, own.create(floats(v), shape));
    }
    return new Gpt2Model(c, own, params);
  }

  @Override
  public CausalLM wrap(ModelConfig c, NDManager manager, Map<String, NDArray> parameters) {
    Gpt2Model.validate(c);
    NDManager own = manager.newSubManager();
    return new Gpt2Model(c, own, ModelFamily.adopt(parameterShapes(c), own, parameters));
  }

  private static FloatBuffer floats(float[] v) {
    ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
    FloatBuffer f = b.asFloatBuffer();
    f.put(v).flip();
    return f;
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
