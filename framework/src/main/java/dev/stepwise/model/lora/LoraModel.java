package dev.stepwise.model.lora;

import static dev.stepwise.model.TorchOps.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.stepwise.config.UserError;
import dev.stepwise.model.AdaptableLM;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.LinearAdapter;
import dev.stepwise.model.LinearModule;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.TokenChoice;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A frozen base model with LoRA adapters on some of its projections (Hu et al. 2021, eq. 3), as
 * PEFT's {@code LoraModel} computes it: for each adapted module
 *
 * <pre>
 * y = x·Wᵀ + b + s·(dropout(x)·Aᵀ)·Bᵀ,   A (r, in), B (out, r),   s = alpha / r  (alpha / √r with rslora)
 * </pre>
 *
 * with A and B exactly PEFT's {@code lora_A.weight} and {@code lora_B.weight}. {@link
 * #parameters()} holds only A and B, under PEFT's saved names {@code base_model.model.<module
 * path>.lora_A.weight}, so a trainer gives optimizer state to nothing else; the base parameters
 * are {@code setTrainable(false)} and never change.
 *
 * <p>Initialisation (PEFT's default, {@code init_lora_weights = true}): A ~ U(−1/√in, 1/√in)
 * (torch's {@code kaiming_uniform_} with a = √5, as {@code nn.Linear}), B = 0, so the adapted
 * model starts equal to the base. Values are drawn in Java from {@code new Random(seed)}, module
 * by module in the model's order.
 *
 * <p><b>Adapter off.</b> {@link #disableAdapter()} opens a scope in which forwards on the calling
 * thread compute the base model exactly (PEFT's {@code disable_adapter()}); {@link #reference()}
 * is a {@link CausalLM} view that does so for every call — the reference policy of DPO/PPO/GRPO
 * without a second copy of the weights, as TRL does with a PEFT model.
 *
 * <p><b>Decoding.</b> The Java CPU decoder reads weights with the adapter merged in (W + s·B·A),
 * snapshot retaken after each optimizer step; with the adapter off it reads the base. The
 * libtorch graph adds the low-rank term per projection (what training differentiates).
 */
public final class LoraModel implements CausalLM {
  /** Prefix of every saved tensor name (PEFT: the wrapper's {@code base_model.model}). */
  public static final String PREFIX = "base_model.model.";

  /** One adapted projection. */
  record Adapted(LinearModule module, NDArray a, NDArray b) {}

  private final AdaptableLM base;
  private final LoraConfig cfg;
  private final String basePath;
  private final NDManager manager;
  private final Map<String, Adapted> byModule = new LinkedHashMap<>();
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  /** s as a model-owned float32 scalar (never a Java number inside the graph). */
  private final NDArray scale;
  private final ThreadLocal<int[]> offDepth = ThreadLocal.withInitial(() -> new int[1]);
  private final CausalLM reference = new AdapterOff();

  /**
   * Wraps {@code base} with fresh adapters (or, with {@code lora.adapter_path}, use {@link
   * PeftAdapter#load}).
   *
   * @param base a model of either family; frozen by this call
   * @param cfg the LoRA settings
   * @param basePath the base model's directory, written as {@code base_model_name_or_path} (may
   *     be null for a model that has none; its adapter then cannot be loaded on its own)
   * @param seed seed of A's (and, without {@code init_lora_weights}, B's) initialisation
   * @throws UserError when the model's family cannot carry adapters, a target matches nothing or
   *     {@code modules_to_save} names a module of the language model itself
   */
  public LoraModel(CausalLM base, LoraConfig cfg, String basePath, long seed) {
    if (!(base instanceof AdaptableLM a)) {
      throw new UserError("LoRA needs a model whose projections can carry adapters (GPT-2 or Llama family); got "
          + base.getClass().getSimpleName() + (base instanceof LoraModel ? " (already a LoRA model)" : ""));
    }
    this.base = a;
    this.cfg = cfg;
    this.basePath = basePath;
    checkModulesToSave(cfg.modulesToSave(), base.parameters());
    List<LinearModule> targets = LoraTargets.select(a.linearModules(), cfg.targetModules(), base.config().family());
    this.manager = base.parameters().values().iterator().next().getManager().newSubManager();
    scale = manager.create((float) cfg.scale());
    NDScope.unregister(scale);
    Random rnd = new Random(seed);
    int r = cfg.r();
    for (LinearModule m : targets) {
      NDArray wa = manager.create(uniform(rnd, r * m.inFeatures(), 1 / Math.sqrt(m.inFeatures())), new Shape(r, m.inFeatures()));
      NDArray wb = cfg.initLoraWeights()
          ? manager.zeros(new Shape(m.outFeatures(), r))
          : manager.create(uniform(rnd, m.outFeatures() * r, 1 / Math.sqrt(r)), new Shape(m.outFeatures(), r));
      NDScope.unregister(wa, wb);
      byModule.put(m.name(), new Adapted(m, wa, wb));
      params.put(loraA(m.name()), wa);
      params.put(loraB(m.name()), wb);
    }
    base.setTrainable(false);
    setTrainable(true);
    a.setAdapter(new Adapter());
  }

  /** @return PEFT's saved name of module {@code module}'s A matrix */
  public static String loraA(String module) {
    return PREFIX + module + ".lora_A.weight";
  }

  /** @return PEFT's saved name of module {@code module}'s B matrix */
  public static String loraB(String module) {
    return PREFIX + module + ".lora_B.weight";
  }

  private static float[] uniform(Random rnd, int n, double bound) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    return v;
  }

  private static void checkModulesToSave(List<String> names, Map<String, NDArray> baseParams) {
    for (String n : names) {
      for (String p : baseParams.keySet()) {
        if (p.startsWith(n + ".") || p.contains("." + n + ".")) {
          throw new UserError("lora.modules_to_save = " + names + ": '" + n + "' is a module of the language model ("
              + p + "); training base modules beside LoRA is not supported (leave lora unset to fine-tune the whole"
              + " model). modules_to_save names heads outside it, e.g. a reward model's score");
        }
      }
    }
  }

  /** @return the frozen base model */
  public AdaptableLM base() {
    return base;
  }

  /** @return the LoRA settings */
  public LoraConfig loraConfig() {
    return cfg;
  }

  /** @return the base model's directory as given at creation, or null */
  public String basePath() {
    return basePath;
  }

  /** @return the adapted projections, in the model's order */
  public List<LinearModule> adaptedModules() {
    return byModule.values().stream().map(Adapted::module).toList();
  }

  /** @return alpha / r (or alpha / √r) */
  public double scaleValue() {
    return cfg.scale();
  }

  @Override
  public ModelConfig config() {
    return base.config();
  }

  /**
   * @return the adapter matrices only, lora_A then lora_B per module, under PEFT's saved names;
   *     the live arrays
   */
  @Override
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /** A scope of adapter-off forwards on this thread; nested scopes are allowed. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Switches the adapter off for forwards on the calling thread until the scope closes (PEFT's
   * {@code with model.disable_adapter():}).
   */
  public Scope disableAdapter() {
    int[] d = offDepth.get();
    d[0]++;
    return () -> d[0]--;
  }

  /**
   * @return a view of the base model with the adapter off, for every forward and decode through
   *     it (the frozen reference policy of DPO, PPO and GRPO); it shares this model's weights,
   *     its {@code parameters()} are the base's, and closing it does nothing
   */
  public CausalLM reference() {
    return reference;
  }

  @Override
  public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
    return base.hiddenStates(inputIds, attentionMask);
  }

  @Override
  public NDArray logits(NDArray hidden) {
    return base.logits(hidden);
  }

  @Override
  public KvCache newCache(NDManager m, int batch, int capacity) {
    return base.newCache(m, batch, capacity);
  }

  @Override
  public NDArray decode(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    return base.decode(inputIds, attentionMask, cache);
  }

  @Override
  public NDArray decodeLast(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    return base.decodeLast(inputIds, attentionMask, cache);
  }

  @Override
  public DecodedBlock sampleAndDecode(NDArray logits, KvCache cache, TokenChoice choice, float[] uniforms, int steps, NDManager m) {
    return base.sampleAndDecode(logits, cache, choice, uniforms, steps, m);
  }

  @Override
  public int preferredChunkRows() {
    return base.preferredChunkRows();
  }

  /** Attaches or detaches gradients on the adapter matrices; the base stays frozen. */
  @Override
  public void setTrainable(boolean trainable) {
    for (NDArray p : params.values()) {
      p.setRequiresGradient(trainable);
    }
  }

  /** Frees the adapters and the base model. */
  @Override
  public void close() {
    base.setAdapter(null);
    base.close();
  }

  /**
   * W + s·B·A for one adapted module, in the base weight's layout ((out, in), or (in, out) for a
   * {@code fan_in_fan_out} module), owned by {@code m}; call without autograd recording.
   */
  NDArray mergedWeight(Adapted ad, NDArray w, NDManager m) {
    NDArray d = mul(own(matmul(ad.b(), ad.a()), m), scale);
    if (ad.module().fanInFanOut()) {
      d = transpose(d, 0, 1);
    }
    return add(d, w);
  }

  Map<String, Adapted> adapted() {
    return byModule;
  }

  /** The {@link LinearAdapter} the base's forwards consult. */
  private final class Adapter implements LinearAdapter {
    @Override
    public boolean active() {
      return offDepth.get()[0] == 0;
    }

    @Override
    public NDArray delta(String module, NDArray x) {
      Adapted ad = byModule.get(module);
      if (ad == null) {
        return null;
      }
      NDArray in = cfg.dropout() > 0 && JniUtils.isGradMode() ? dropout(x, cfg.dropout(), true) : x;
      return mul(linear(linear(in, ad.a(), null), ad.b(), null), scale);
    }

    @Override
    public Map<String, NDArray> merged(Map<String, NDArray> baseParams, NDManager m) {
      Map<String, NDArray> out = new LinkedHashMap<>(baseParams);
      for (Adapted ad : byModule.values()) {
        String w = ad.module().weight();
        out.put(w, mergedWeight(ad, baseParams.get(w), m));
      }
      return out;
    }
  }

  /** The adapter-off view ({@link #reference()}). */
  private final class AdapterOff implements CausalLM {
    @Override
    public ModelConfig config() {
      return base.config();
    }

    @Override
    public Map<String, NDArray> parameters() {
      return base.parameters();
    }

    @Override
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
      try (Scope s = disableAdapter()) {
        return base.hiddenStates(inputIds, attentionMask);
      }
    }

    @Override
    public NDArray logits(NDArray hidden) {
      return base.logits(hidden);
    }

    @Override
    public KvCache newCache(NDManager m, int batch, int capacity) {
      try (Scope s = disableAdapter()) {
        return base.newCache(m, batch, capacity);
      }
    }

    @Override
    public NDArray decode(NDArray inputIds, NDArray attentionMask, KvCache cache) {
      try (Scope s = disableAdapter()) {
        return base.decode(inputIds, attentionMask, cache);
      }
    }

    @Override
    public NDArray decodeLast(NDArray inputIds, NDArray attentionMask, KvCache cache) {
      try (Scope s = disableAdapter()) {
        return base.decodeLast(inputIds, attentionMask, cache);
      }
    }

    @Override
    public DecodedBlock sampleAndDecode(NDArray logits, KvCache cache, TokenChoice choice, float[] uniforms, int steps, NDManager m) {
      try (Scope s = disableAdapter()) {
        return base.sampleAndDecode(logits, cache, choice, uniforms, steps, m);
      }
    }

    @Override
    public int preferredChunkRows() {
      return base.preferredChunkRows();
    }

    /** No-op: the base is always frozen. */
    @Override
    public void setTrainable(boolean trainable) {}

    /** No-op: the weights belong to the LoRA model. */
    @Override
    public void close() {}
  }
}
