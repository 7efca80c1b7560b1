package dev.stepwise.model;

import static dev.stepwise.model.TorchOps.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import dev.stepwise.model.cpu.CpuDecoding;
import dev.stepwise.model.cpu.CpuDecoder;
import java.util.Collections;
import java.util.Map;

/**
 * The GPT-2 forward on DJL's PyTorch engine, written to keep the number of JNI calls per layer
 * small (DESIGN.md, "One op, one JNI call"): activations stay flattened to (B·T, D) so every
 * projection is one fused {@code linear} (GEMM with bias), QKV is one projection, LayerNorm and
 * GELU are single engine ops, attention is one batched matmul for the scores and one for the
 * values, and the causal mask is an additive bias built once per sequence length and cached.
 *
 * <p>Math (per block, pre-LN): {@code x += c_proj(attn(ln_1(x)))}, {@code x += mlp_c_proj(gelu(
 * c_fc(ln_2(x))))}; attention is softmax(q·kᵀ/√d_head + bias)·v per head, with bias 0 for
 * allowed keys and −1e9 for future or padded keys (finite, so a fully padded query row gives
 * finite garbage instead of NaN; its outputs are never used by real positions).
 *
 * <p>Deviations from Hugging Face GPT-2: GELU is the exact erf form (libtorch's single {@code
 * gelu} op; DJL exposes no tanh approximation), which is Hugging Face's {@code
 * activation_function: "gelu"} — checkpoints record that, so they reload identically in
 * transformers; original OpenAI GPT-2 weights use {@code "gelu_new"} (tanh), which differs by
 * under 1e-3 per activation. There is no dropout (all {@code *_pdrop} = 0).
 *
 * <p>Autograd: every constant that enters a differentiated op (the attention scale, the mask
 * values) is a tensor owned by the model, never a Java number (DESIGN.md, autograd trap).
 */
public final class Gpt2Model implements AdaptableLM {
  final ModelConfig config;
  final NDManager manager;
  private final Map<String, NDArray> params;
  final int nLayer, d, nHead, headDim, inner;
  final double eps;
  final NDArray wte, wpe, lnfW, lnfB;
  final NDArray[] ln1W, ln1B, attnW, attnB, projW, projB, ln2W, ln2B, fcW, fcB, mlpW, mlpB;
  /** The attention scale 1/√d_head, owned by the model. */
  final NDArray scale;
  private final AttentionBias attention;
  /** LoRA or another additive correction of the projections, or null. */
  private volatile LinearAdapter adapter;
  /** Decode-time TorchScript values, made on first use: the parameter list, n_head, eps. */
  private IValue weightList, nHeadValue, epsValue;

  Gpt2Model(ModelConfig config, NDManager manager, Map<String, NDArray> params) {
    this.config = config;
    this.manager = manager;
    this.params = Collections.unmodifiableMap(params);
    nLayer = config.nLayer();
    d = config.nEmbd();
    nHead = config.nHead();
    headDim = d / nHead;
    inner = config.innerDim();
    eps = config.layerNormEpsilon();
    wte = params.get("transformer.wte.weight");
    wpe = params.get("transformer.wpe.weight");
    lnfW = params.get("transformer.ln_f.weight");
    lnfB = params.get("transformer.ln_f.bias");
    ln1W = layer("ln_1.weight");
    ln1B = layer("ln_1.bias");
    attnW = layer("attn.c_attn.weight");
    attnB = layer("attn.c_attn.bias");
    projW = layer("attn.c_proj.weight");
    projB = layer("attn.c_proj.bias");
    ln2W = layer("ln_2.weight");
    ln2B = layer("ln_2.bias");
    fcW = layer("mlp.c_fc.weight");
    fcB = layer("mlp.c_fc.bias");
    mlpW = layer("mlp.c_proj.weight");
    mlpB = layer("mlp.c_proj.bias");
    float s = (float) (1.0 / Math.sqrt(headDim));
    scale = manager.create(s);
    ai.djl.ndarray.NDScope.unregister(scale);
    attention = new AttentionBias(manager);
    setTrainable(true);
  }

  private NDArray[] layer(String suffix) {
    NDArray[] a = new NDArray[nLayer];
    for (int i = 0; i < nLayer; i++) {
      a[i] = params.get("transformer.h." + i + "." + suffix);
    }
    return a;
  }

  /** Checks a config's dimensions; IllegalArgumentException naming the bad field. */
  static void validate(ModelConfig c) {
    if (c.vocabSize() <= 0 || c.nEmbd() <= 0 || c.nLayer() <= 0 || c.nHead() <= 0
        || c.nPositions() <= 0) {
      throw new IllegalArgumentException(
          "model config needs positive vocab_size, n_embd, n_layer, n_head, n_positions: " + c);
    }
    if (c.nEmbd() % c.nHead() != 0) {
      throw new IllegalArgumentException(
          "n_embd " + c.nEmbd() + " is not divisible by n_head " + c.nHead());
    }
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return params;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Per block, Hugging Face's {@code Conv1D} modules with weights stored (in, out) (PEFT's
   * {@code fan_in_fan_out = true}): {@code attn.c_attn} (D→3D), {@code attn.c_proj} (D→D),
   * {@code mlp.c_fc} (D→I), {@code mlp.c_proj} (I→D).
   */
  @Override
  public java.util.List<LinearModule> linearModules() {
    java.util.List<LinearModule> out = new java.util.ArrayList<>();
    for (int l = 0; l < nLayer; l++) {
      String h = "transformer.h." + l + ".";
      out.add(new LinearModule(h + "attn.c_attn", d, 3 * d, true));
      out.add(new LinearModule(h + "attn.c_proj", d, d, true));
      out.add(new LinearModule(h + "mlp.c_fc", d, inner, true));
      out.add(new LinearModule(h + "mlp.c_proj", inner, d, true));
    }
    return out;
  }

  @Override
  public void setAdapter(LinearAdapter adapter) {
    this.adapter = adapter;
  }

  /** @return the active adapter on this thread, or null */
  private LinearAdapter activeAdapter() {
    LinearAdapter a = adapter;
    return a != null && a.active() ? a : null;
  }

  /** The parameters the Java decoder reads now: the adapter merged in when one is active (arrays owned by {@code m}). */
  private Map<String, NDArray> effective(NDManager m) {
    LinearAdapter a = activeAdapter();
    if (a == null) {
      return params;
    }
    boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    try {
      return a.merged(params, m);
    } finally {
      ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
    }
  }

  @Override
  public void setTrainable(boolean trainable) {
    for (NDArray p : params.values()) {
      p.setRequiresGradient(trainable);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>When autograd recording is off on this thread (outside a gradient collector, or inside
   * {@code NoGrad}) and the model is on the CPU with the Java decoder enabled ({@link
   * CpuDecoding#enabled()}), the forward runs in Java ({@link CpuDecoder#gpt2HiddenStates}): no graph
   * could be recorded anyway, and scoring passes (reference log-probs, PPO's old log-probs and
   * values, PRM scores, eval losses) run several times faster. The values agree to float
   * rounding.
   */
  @Override
  public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
    NDManager m = inputIds.getManager();
    long[] bt = inputIds.getShape().getShape();
    long b = bt[0];
    long t = bt[1];
    if (t > config.nPositions()) {
      throw new IllegalArgumentException(
          "sequence length " + t + " exceeds the context length n_positions=" + config.nPositions());
    }
    if (!ai.djl.pytorch.jni.JniUtils.isGradMode() && javaDecoder()) {
      if (activeAdapter() == null) {
        return CpuDecoder.gpt2HiddenStates(config, params, inputIds, attentionMask);
      }
      try (NDManager tmp = manager.newSubManager()) {
        return CpuDecoder.gpt2HiddenStates(config, effective(tmp), inputIds, attentionMask);
      }
    }
    NDArray tok = embedding(inputIds, wte);
    NDArray pos;
    NDArray bias;
    if (attentionMask == null) {
      pos = slice(wpe, new long[] {0}, new long[] {t}, m);
      bias = attention.causal((int) t);
    } else {
      pos = embedding(attention.positions(attentionMask), wpe);
      bias = attention.withPadding(attentionMask, b, 1, 1, t); // (B, 1, T, T)
    }
    NDArray x = reshape(add(tok, pos), b * t, d);
    GradientCheckpointing.Tape tape = GradientCheckpointing.active(params.values());
    if (tape != null) {
      x = tape.run(x, nLayer, (l, in) -> block(l, in, b, t, bias, m));
    } else {
      for (int l = 0; l < nLayer; l++) {
        x = block(l, x, b, t, bias, m);
      }
    }
    return reshape(layerNorm(x, d, lnfW, lnfB, eps), b, t, d);
  }

  /** One transformer block on x (B·T, D) with additive attention bias (T,T) or (B,1,T,T). */
  private NDArray block(int l, NDArray x, long b, long t, NDArray bias, NDManager m) {
    String pre = "transformer.h." + l + ".";
    NDArray a = layerNorm(x, d, ln1W[l], ln1B[l], eps);
    NDArray qkv = conv1d(a, attnW[l], attnB[l], pre + "attn.c_attn", m);
    NDArray heads = permute(reshape(qkv, b, t, 3, nHead, headDim), 2, 0, 3, 1, 4);
    NDList qkvList = split(heads, 1, 0); // 3 × (1, B, H, T, hd), views
    NDArray q = mul(qkvList.get(0), scale);
    NDArray scores = matmul(q, transpose(qkvList.get(1), 3, 4)); // (1, B, H, T, T)
    NDArray probs = softmax(add(scores, bias), 4);
    NDArray o = matmul(probs, qkvList.get(2)); // (1, B, H, T, hd)
    NDArray merged = reshape(permute(o, 0, 1, 3, 2, 4), b * t, d);
    x = add(x, conv1d(merged, projW[l], projB[l], pre + "attn.c_proj", m));
    NDArray h = layerNorm(x, d, ln2W[l], ln2B[l], eps);
    NDArray f = gelu(conv1d(h, fcW[l], fcB[l], pre + "mlp.c_fc", m));
    return add(x, conv1d(f, mlpW[l], mlpB[l], pre + "mlp.c_proj", m));
  }

  /** x·W + b for a Conv1D weight W (in, out), plus the adapter's correction of {@code module}. */
  private NDArray conv1d(NDArray x, NDArray w, NDArray bias, String module, NDManager m) {
    NDArray y = linear(x, own(transpose(w, 0, 1), m), bias);
    LinearAdapter a = activeAdapter();
    NDArray delta = a == null ? null : a.delta(module, x);
    return delta == null ? y : add(y, delta);
  }

  /** The compiled decode script (shared by all GPT-2 models of the JVM). */
  TorchScript script() {
    return TorchScript.compile(Gpt2Script.CLASS, Gpt2Script.SOURCE);
  }

  /** The parameters as a TorchScript list, in {@link #parameters()} order (shares storage). */
  synchronized IValue weightList() {
    if (weightList == null) {
      weightList = IValue.listFrom(params.values().stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
    }
    return weightList;
  }

  synchronized IValue nHeadValue() {
    if (nHeadValue == null) {
      nHeadValue = IValue.from((long) nHead);
    }
    return nHeadValue;
  }

  synchronized IValue epsValue() {
    if (epsValue == null) {
      epsValue = IValue.from(eps);
    }
    return epsValue;
  }

  @Override
  public NDArray logits(NDArray hidden) {
    return linear(hidden, wte, null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On the CPU with the Vector API present ({@link CpuDecoding#enabled()}), the cache belongs
   * to the Java decoder ({@link CpuDecoder}) and holds a snapshot of the parameters taken now, so
   * later decode calls on it use the weights as they are at this call; otherwise it is the
   * TorchScript step's cache, which reads the live parameters.
   */
  @Override
  public KvCache newCache(NDManager m, int batch, int capacity) {
    if (javaDecoder()) {
      if (activeAdapter() == null) {
        return CpuDecoder.newGpt2Cache(config, params, batch, capacity);
      }
      try (NDManager tmp = manager.newSubManager()) {
        return CpuDecoder.newGpt2Cache(config, effective(tmp), batch, capacity);
      }
    }
    if (activeAdapter() != null) {
      throw new dev.stepwise.config.UserError("a GPT-2 model with an active LoRA adapter decodes with the Java CPU decoder only"
          + " (the TorchScript step reads the base weights): start the JVM with --add-modules=jdk.incubator.vector and keep"
          + " -Dstepwise.decoder=auto|java, or merge the adapter first (the merge job) and sample the merged checkpoint");
    }
    return new Gpt2KvCache(this, m, batch, capacity);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The Java CPU decoder: {@link CpuDecoder#CHUNK_ROWS} rows (its GEMM tile); the TorchScript
   * step: as few chunks as possible.
   */
  @Override
  public int preferredChunkRows() {
    return javaDecoder() ? CpuDecoder.CHUNK_ROWS : Integer.MAX_VALUE;
  }

  /** @return whether this model decodes (and runs no-grad forwards) in Java: on the CPU when {@link CpuDecoding#enabled()} */
  private boolean javaDecoder() {
    return !wte.getDevice().isGpu() && CpuDecoding.enabled();
  }

  @Override
  public NDArray decode(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    if (CpuDecoder.owns(cache)) {
      return CpuDecoder.decode(inputIds, attentionMask, cache, false);
    }
    return Gpt2Decoder.decode(this, inputIds, attentionMask, (Gpt2KvCache) cache, false);
  }

  @Override
  public NDArray decodeLast(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    if (CpuDecoder.owns(cache)) {
      return CpuDecoder.decode(inputIds, attentionMask, cache, true);
    }
    return Gpt2Decoder.decode(this, inputIds, attentionMask, (Gpt2KvCache) cache, true);
  }

  @Override
  public DecodedBlock sampleAndDecode(
      NDArray logits, KvCache cache, TokenChoice choice, float[] uniforms, int steps, NDManager m) {
    if (CpuDecoder.owns(cache)) {
      return CpuDecoder.sampleAndDecode(logits, cache, choice, uniforms, steps, m);
    }
    return Gpt2Decoder.sampleAndDecode(this, logits, (Gpt2KvCache) cache, choice, uniforms, steps, m);
  }

  /** Number of parameters (elements). */
  public long numParameters() {
    long n = 0;
    for (NDArray p : params.values()) {
      n += p.getShape().size();
    }
    return n;
  }

  @Override
  public synchronized void close() {
    for (IValue v : new IValue[] {weightList, nHeadValue, epsValue}) {
      if (v != null) {
        v.close();
      }
    }
    weightList = nHeadValue = epsValue = null;
    manager.close();
  }
}
