package dev.stepwise.model.llama;

import static dev.stepwise.model.TorchOps.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.AttentionBias;
import dev.stepwise.model.ComputeCast;
import dev.stepwise.model.Devices;
import ai.djl.ndarray.types.DataType;
import dev.stepwise.model.GradientCheckpointing;
import java.util.Map;

/**
 * The Llama-family forward on DJL's PyTorch engine, differentiable (what training runs), with
 * Hugging Face's math:
 *
 * <pre>
 * x = embed_tokens[ids]
 * per layer:  h = rms(x)·w_in;  q, k, v = h·Wqᵀ(+b), h·Wkᵀ(+b), h·Wvᵀ(+b)   (per head: q_norm/k_norm on Qwen3)
 *             q, k = rope(q, pos), rope(k, pos)                            (rotate-half layout)
 *             y = softmax(q·kᵀ/√d_head + bias)·v, query head h reading KV head h / (H/KVH)
 *             x += y·Woᵀ(+b);  h = rms(x)·w_post;  x += (silu(h·Wgᵀ) ⊙ h·Wuᵀ)·Wdᵀ
 * hidden = rms(x)·w_norm
 * </pre>
 *
 * where {@code rms(x) = x / sqrt(mean(x²) + eps)} over the last dimension. Grouped-query
 * attention reshapes the H query heads to (KVH, H/KVH) and broadcasts each key/value head over
 * its group, so keys and values are never copied per query head. Position ids are 0..T−1, or the
 * mask's cumulative sum − 1 (clamped at 0) with left padding, and padded keys get −1e9 ({@link
 * AttentionBias}, shared with {@code Gpt2Model}). Rotary tables are (P, d_head) cos/sin built
 * in double by {@link RopeScaling#tables} for as many positions as have been used, doubled on demand.
 */
final class LlamaGraph {
  private final LlamaConfig c;
  private final NDManager manager;
  private final Map<String, NDArray> p;
  /** Model-owned scalars: 1/√d_head and eps (float32). */
  private final NDArray scale, eps;
  private final AttentionBias attention;
  private NDArray cos, sin;
  private int tablePositions;
  /** LoRA or another additive correction of the projections, or null. */
  volatile dev.stepwise.model.LinearAdapter adapter;

  LlamaGraph(LlamaConfig c, NDManager manager, Map<String, NDArray> params) {
    this.c = c;
    this.manager = manager;
    this.p = ComputeCast.view(params); // reduced precision: parameters cast in forwards (run.precision)
    scale = manager.create((float) (1.0 / Math.sqrt(c.headDim())));
    eps = manager.create((float) c.rmsNormEps());
    NDScope.unregister(scale, eps);
    attention = new AttentionBias(manager);
  }

  /**
   * @param ids (B, T) int64, T ≤ max positions
   * @param mask (B, T) 1 = real token, or null
   * @return (B, T, D) float32 final-normed hidden states, owned by {@code ids}' manager
   */
  NDArray hiddenStates(NDArray ids, NDArray mask) {
    NDManager m = ids.getManager();
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    int d = c.hiddenSize();
    NDArray pos;
    NDArray bias;
    if (mask == null) {
      bias = attention.causal((int) t);
      long[] ar = new long[(int) t];
      for (int i = 0; i < t; i++) {
        ar[i] = i;
      }
      pos = reshape(m.create(ar), 1, t);
    } else {
      pos = attention.positions(mask);
      bias = attention.withPadding(mask, b, 1, 1, 1, t); // (B, 1, 1, T, T)
    }
    NDArray[] table = tables((int) t);
    long pb = mask == null ? 1 : b;
    NDArray cosP = reshape(embedding(pos, table[0]), pb, t, 1, c.headDim());
    NDArray sinP = reshape(embedding(pos, table[1]), pb, t, 1, c.headDim());
    DataType type = Devices.compute();
    // reduced precision for no-grad forwards only: DJL's dtype conversion records no autograd
    // (gradients would not reach the float32 weights), so training forwards stay float32
    if (type != DataType.FLOAT32 && !ai.djl.pytorch.jni.JniUtils.isGradMode()) {
      return reducedPrecision(ids, b, t, cosP, sinP, bias, type, m);
    }
    NDArray x = reshape(embedding(ids, p.get("model.embed_tokens.weight")), b * t, d);
    GradientCheckpointing.Tape tape = GradientCheckpointing.active(p.values());
    if (tape != null) {
      x = tape.run(x, c.numLayers(), (l, in) -> layer("model.layers." + l + ".", in, b, t, cosP, sinP, bias, m));
    } else {
      for (int l = 0; l < c.numLayers(); l++) {
        x = layer("model.layers." + l + ".", x, b, t, cosP, sinP, bias, m);
      }
    }
    return reshape(rms(x, p.get("model.norm.weight")), b, t, d);
  }

  /**
   * The same forward with parameters, rotary tables and attention bias cast to {@code type}
   * (fp16, {@link ComputeCast}) for a no-grad forward (sampling, scoring, evaluation on CUDA);
   * the hidden states are returned in float32, so the LM head runs in float32.
   */
  @SuppressWarnings("try") // cast scopes are opened for their effect
  private NDArray reducedPrecision(NDArray ids, long b, long t, NDArray cos32, NDArray sin32, NDArray bias32,
      DataType type, NDManager m) {
    int d = c.hiddenSize();
    // owned by the forward's manager: the causal bias is a model-owned cached array
    NDArray cosP = own(cos32.toType(type, false), m), sinP = own(sin32.toType(type, false), m);
    NDArray bias = own(bias32.toType(type, false), m);
    NDArray x;
    try (ComputeCast.Scope s = ComputeCast.open(type, m)) {
      x = reshape(embedding(ids, p.get("model.embed_tokens.weight")), b * t, d);
    }
    GradientCheckpointing.Tape tape = GradientCheckpointing.active(p.values());
    GradientCheckpointing.Layer f = (l, in) -> {
      try (ComputeCast.Scope s = ComputeCast.open(type, m)) { // also open when the tape recomputes
        return layer("model.layers." + l + ".", in, b, t, cosP, sinP, bias, m);
      }
    };
    if (tape != null) {
      x = tape.run(x, c.numLayers(), f);
    } else {
      for (int l = 0; l < c.numLayers(); l++) {
        x = f.apply(l, x);
      }
    }
    try (ComputeCast.Scope s = ComputeCast.open(type, m)) {
      return reshape(rms(x, p.get("model.norm.weight")), b, t, d).toType(DataType.FLOAT32, false);
    }
  }

  /** The LM head: hidden · Wᵀ with W the untied {@code lm_head} or the embedding. */
  NDArray logits(NDArray hidden) {
    NDArray w = c.tieWordEmbeddings() ? p.get("model.embed_tokens.weight") : p.get("lm_head.weight");
    return linear(hidden, w, null);
  }

  private NDArray layer(String pre, NDArray x, long b, long t, NDArray cosP, NDArray sinP, NDArray bias, NDManager m) {
    int hd = c.headDim();
    int kvh = c.numKvHeads();
    int g = c.groups();
    NDArray h = rms(x, p.get(pre + "input_layernorm.weight"));
    NDArray q = reshape(proj(h, pre + "self_attn.q_proj"), b, t, c.numHeads(), hd);
    NDArray k = reshape(proj(h, pre + "self_attn.k_proj"), b, t, kvh, hd);
    NDArray v = reshape(proj(h, pre + "self_attn.v_proj"), b, t, kvh, hd);
    if (c.qkNorm()) {
      q = rms(q, p.get(pre + "self_attn.q_norm.weight"));
      k = rms(k, p.get(pre + "self_attn.k_norm.weight"));
    }
    q = rope(q, cosP, sinP, m);
    k = rope(k, cosP, sinP, m);
    NDArray qg = reshape(permute(q, 0, 2, 1, 3), b, kvh, g, t, hd); // head kv·G + j -> (kv, j)
    NDArray kg = reshape(permute(k, 0, 2, 1, 3), b, kvh, 1, t, hd);
    NDArray vg = reshape(permute(v, 0, 2, 1, 3), b, kvh, 1, t, hd);
    NDArray scores = add(matmul(mul(qg, scale), transpose(kg, 3, 4)), bias); // (B, KVH, G, T, T)
    NDArray o = matmul(softmax(scores, 4), vg); // (B, KVH, G, T, hd)
    NDArray merged = reshape(permute(o, 0, 3, 1, 2, 4), b * t, (long) c.qDim());
    x = add(x, proj(merged, pre + "self_attn.o_proj"));
    NDArray h2 = rms(x, p.get(pre + "post_attention_layernorm.weight"));
    NDArray gate = proj(h2, pre + "mlp.gate_proj");
    NDArray f = mul(mul(gate, sigmoid(gate)), proj(h2, pre + "mlp.up_proj"));
    return add(x, proj(f, pre + "mlp.down_proj"));
  }

  /** x·Wᵀ + b of module {@code name}, plus the adapter's correction when one is active. */
  private NDArray proj(NDArray x, String name) {
    NDArray y = linear(x, p.get(name + ".weight"), p.get(name + ".bias"));
    dev.stepwise.model.LinearAdapter a = adapter;
    NDArray delta = a == null || !a.active() ? null : a.delta(name, x);
    return delta == null ? y : add(y, delta);
  }

  /** RMSNorm over the last dimension with gain {@code w}. */
  private NDArray rms(NDArray x, NDArray w) {
    NDArray ms = add(mean(square(x), -1, true), eps);
    return mul(div(x, sqrt(ms)), w);
  }

  /** x·cos + rotate_half(x)·sin for x (B, T, heads, d_head) and tables (B or 1, T, 1, d_head). */
  private NDArray rope(NDArray x, NDArray cosP, NDArray sinP, NDManager m) {
    long[] s = x.getShape().getShape();
    long half = s[3] / 2;
    NDArray x1 = slice(x, new long[] {0, 0, 0, 0}, new long[] {s[0], s[1], s[2], half}, m);
    NDArray x2 = slice(x, new long[] {0, 0, 0, half}, new long[] {s[0], s[1], s[2], s[3]}, m);
    NDArray rotated = cat(3, neg(x2), x1);
    return add(mul(x, cosP), mul(rotated, sinP));
  }

  /** cos and sin tables covering at least {@code t} positions. */
  private synchronized NDArray[] tables(int t) {
    if (t > tablePositions) {
      int n = Math.max(t, Math.min(c.maxPositions(), Math.max(64, 2 * tablePositions)));
      float[][] cs = c.ropeScaling().tables(n, c.headDim(), c.ropeTheta());
      // earlier tables stay alive (a graph being recorded may still use them) until the model closes
      cos = manager.create(cs[0], new Shape(n, c.headDim()));
      sin = manager.create(cs[1], new Shape(n, c.headDim()));
      NDScope.unregister(cos, sin);
      tablePositions = n;
    }
    return new NDArray[] {cos, sin};
  }
}
