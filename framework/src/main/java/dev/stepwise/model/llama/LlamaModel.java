package dev.stepwise.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.config.UserError;
import dev.stepwise.model.AdaptableLM;
import dev.stepwise.model.LinearAdapter;
import dev.stepwise.model.LinearModule;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.ParameterVersion;
import dev.stepwise.model.TokenChoice;
import dev.stepwise.model.cpu.CpuDecoder;
import dev.stepwise.model.cpu.CpuDecoding;
import dev.stepwise.model.cpu.CpuLlamaWeights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A Llama-family {@link CausalLM} (see {@link LlamaFamily} for the architecture and names).
 * Training forwards (autograd recording on) run the libtorch graph ({@link LlamaGraph}); no-grad
 * forwards and every decode call run in the Java CPU decoder ({@code CpuLlamaDecoder}), which
 * works from a float32 snapshot of the weights taken on first use and retaken after any
 * parameter update ({@link ParameterVersion}).
 *
 * <p>Decoding: on a CPU model with the Vector API module ({@code
 * --add-modules=jdk.incubator.vector}) the Java decoder; on a CUDA model, or without the module,
 * the libtorch path {@link LlamaTorchCache} (a full graph forward per step, no key/value cache:
 * slower per token, chosen automatically). Full forwards
 * longer than {@link LlamaConfig#maxPositions()} are refused; the sampler stops generating there.
 */
public final class LlamaModel implements AdaptableLM {
  private final ModelConfig config;
  private final LlamaConfig llama;
  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final LlamaGraph graph;
  private CpuLlamaWeights snapshot;
  private long snapshotVersion = -1;
  /** The snapshot with the adapter merged in (kept beside the base one: a LoRA policy and its adapter-off reference alternate). */
  private CpuLlamaWeights adaptedSnapshot;
  private long adaptedVersion = -1;
  private volatile boolean trainable;

  LlamaModel(ModelConfig config, NDManager manager, Map<String, NDArray> params) {
    this.config = config;
    this.llama = LlamaFamily.llama(config);
    this.manager = manager;
    this.params = Collections.unmodifiableMap(params);
    this.graph = new LlamaGraph(llama, manager, this.params);
    setTrainable(true);
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  /** @return the Llama-family details */
  public LlamaConfig llama() {
    return llama;
  }

  @Override
  public Map<String, NDArray> parameters() {
    return params;
  }

  /**
   * {@inheritDoc}
   *
   * <p>With autograd recording off and the Java decoder available, the forward runs in Java on
   * the weight snapshot (several times faster than the graph on a CPU; equal to rounding).
   */
  @Override
  public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
    long t = inputIds.getShape().get(1);
    if (t > llama.maxPositions()) {
      throw new IllegalArgumentException("sequence length " + t + " exceeds the context length " + llama.maxPositions()
          + (llama.modelType().equals("mistral") ? " (max_position_embeddings or Mistral's sliding_window)" : ""));
    }
    if (!ai.djl.pytorch.jni.JniUtils.isGradMode() && javaDecoder()) {
      return CpuDecoder.hiddenStates(snapshot(), inputIds, attentionMask);
    }
    return graph.hiddenStates(inputIds, attentionMask);
  }

  /** The libtorch graph's forward whatever the recording mode (parity tests compare both paths). */
  NDArray graphHiddenStates(NDArray inputIds, NDArray attentionMask) {
    return graph.hiddenStates(inputIds, attentionMask);
  }

  @Override
  public NDArray logits(NDArray hidden) {
    return graph.logits(hidden);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a CPU model with the Java decoder available, its cache (a weight snapshot); otherwise
   * (a CUDA model, or {@code -Dstepwise.decoder=torch}) the libtorch path, {@link
   * LlamaTorchCache}, which reruns the graph on the whole sequence each step.
   */
  @Override
  public KvCache newCache(NDManager m, int batch, int capacity) {
    if (!javaDecoder()) {
      return new LlamaTorchCache(graph, batch, capacity);
    }
    // no clamp to the context: the sampler stops live rows there, and rows that already finished
    // may run a few steps past it inside a decode block (rotary positions have no table to overrun)
    return CpuDecoder.newCache(snapshot(), batch, capacity);
  }

  @Override
  public NDArray decode(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    if (cache instanceof LlamaTorchCache c) {
      return c.decode(inputIds, attentionMask, false);
    }
    return CpuDecoder.decode(inputIds, attentionMask, cache, false);
  }

  @Override
  public NDArray decodeLast(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    if (cache instanceof LlamaTorchCache c) {
      return c.decode(inputIds, attentionMask, true);
    }
    return CpuDecoder.decode(inputIds, attentionMask, cache, true);
  }

  @Override
  public DecodedBlock sampleAndDecode(
      NDArray logits, KvCache cache, TokenChoice choice, float[] uniforms, int steps, NDManager m) {
    if (cache instanceof LlamaTorchCache c) {
      return c.sampleAndDecode(logits, choice, uniforms, steps, m);
    }
    return CpuDecoder.sampleAndDecode(logits, cache, choice, uniforms, steps, m);
  }

  /** {@inheritDoc} The Java decoder's GEMM tile, {@link CpuDecoder#CHUNK_ROWS}; the libtorch path: as few chunks as possible. */
  @Override
  public int preferredChunkRows() {
    return javaDecoder() ? CpuDecoder.CHUNK_ROWS : Integer.MAX_VALUE;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Per layer: {@code self_attn.q_proj} (D→H·d_head), {@code k_proj}, {@code v_proj}
   * (D→KVH·d_head), {@code o_proj} (H·d_head→D), {@code mlp.gate_proj}, {@code up_proj} (D→I),
   * {@code down_proj} (I→D); weights (out, in).
   */
  @Override
  public List<LinearModule> linearModules() {
    List<LinearModule> out = new ArrayList<>();
    int d = llama.hiddenSize();
    int i = llama.intermediateSize();
    for (int l = 0; l < llama.numLayers(); l++) {
      String a = "model.layers." + l + ".self_attn.";
      String m = "model.layers." + l + ".mlp.";
      out.add(new LinearModule(a + "q_proj", d, llama.qDim(), false));
      out.add(new LinearModule(a + "k_proj", d, llama.kvDim(), false));
      out.add(new LinearModule(a + "v_proj", d, llama.kvDim(), false));
      out.add(new LinearModule(a + "o_proj", llama.qDim(), d, false));
      out.add(new LinearModule(m + "gate_proj", d, i, false));
      out.add(new LinearModule(m + "up_proj", d, i, false));
      out.add(new LinearModule(m + "down_proj", i, d, false));
    }
    return out;
  }

  @Override
  public synchronized void setAdapter(LinearAdapter adapter) {
    graph.adapter = adapter;
    adaptedSnapshot = null;
  }

  @Override
  public void setTrainable(boolean trainable) {
    for (NDArray p : params.values()) {
      p.setRequiresGradient(trainable);
    }
    synchronized (this) {
      this.trainable = trainable;
      snapshot = null; // versions of the two kinds are not comparable
    }
  }

  /**
   * The weight snapshot of the Java decoder, retaken when a parameter may have changed since: for
   * a trainable model after any optimizer step or load, for a frozen one (a reference model)
   * only after a load.
   */
  private synchronized CpuLlamaWeights snapshot() {
    LinearAdapter a = graph.adapter;
    if (a != null && a.active()) {
      long v = ParameterVersion.current(); // the adapter's parameters train even when the base is frozen
      if (adaptedSnapshot == null || v != adaptedVersion) {
        adaptedSnapshot = null; // free the old one before building the next
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try (NDManager tmp = manager.newSubManager()) {
          adaptedSnapshot = CpuLlamaWeights.of(llama, a.merged(params, tmp));
        } finally {
          ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
        }
        adaptedVersion = v;
      }
      return adaptedSnapshot;
    }
    long v = trainable ? ParameterVersion.current() : ParameterVersion.loads();
    if (snapshot == null || v != snapshotVersion) {
      snapshot = CpuLlamaWeights.of(llama, params);
      snapshotVersion = v;
    }
    return snapshot;
  }

  private boolean javaDecoder() {
    return !params.get("model.embed_tokens.weight").getDevice().isGpu() && CpuDecoding.enabled();
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
    snapshot = null;
    adaptedSnapshot = null;
    manager.close();
  }
}
