package dev.stepwise.reward.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.config.UserError;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Safetensors;
import dev.stepwise.train.NoGrad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A reward model: the policy's transformer ({@link CausalLM#hiddenStates}) and a linear head
 * {@code score} on every position's final hidden state, {@code logits = h·Wᵀ + b} with W (C, D)
 * and b (C) — Hugging Face's {@code AutoModelForTokenClassification}-style value head, as the
 * reference PRM of Jiao et al. 2024 and OmegaPRM use.
 *
 * <p>Saved as a directory: the transformer as a Hugging Face checkpoint ({@link ModelCheckpoint}:
 * {@code config.json}, {@code model.safetensors}, tokenizer), the head in {@code
 * reward_head.safetensors} ({@code score.weight}, {@code score.bias}) and its description in
 * {@code reward_head.json} ({@link HeadSpec}). The LM head (tied to the embeddings) is kept but
 * unused.
 */
public final class RewardModel implements AutoCloseable {
  /** The head's weights file inside a reward-model directory. */
  public static final String HEAD_FILE = "reward_head.safetensors";
  /** Parameter name of the head's weight, (C, D). */
  public static final String WEIGHT = "score.weight";
  /** Parameter name of the head's bias, (C). */
  public static final String BIAS = "score.bias";

  private final CausalLM lm;
  private final HeadSpec spec;
  private final Map<String, NDArray> head;

  private RewardModel(CausalLM lm, HeadSpec spec, Map<String, NDArray> head) {
    this.lm = lm;
    this.spec = spec;
    this.head = head;
  }

  /**
   * A new head on an existing transformer (for training): W ~ N(0, initializer_range²) drawn from
   * {@code new Random(seed)}, b = 0.
   *
   * @param lm the transformer, e.g. from {@code ModelCheckpoint.load(sftDir, manager)}
   * @param spec the head to build
   * @param manager owns the head's parameters
   */
  public static RewardModel create(CausalLM lm, HeadSpec spec, NDManager manager, long seed) {
    int c = spec.numClasses();
    int d = lm.config().nEmbd();
    if (spec.headType() == HeadType.SCALAR && c != 1 || spec.headType() == HeadType.CLASSES && c < 2) {
      throw new UserError("reward head: type " + spec.type() + " cannot have " + c + " classes");
    }
    Random r = new Random(seed);
    float[] w = new float[c * d];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * lm.config().initializerRange());
    }
    Map<String, NDArray> head = new LinkedHashMap<>();
    head.put(WEIGHT, manager.create(w, new Shape(c, d)));
    head.put(BIAS, manager.zeros(new Shape(c)));
    head.values().forEach(a -> a.setRequiresGradient(true));
    return new RewardModel(lm, spec, head);
  }

  /**
   * Loads a reward-model directory written by {@link #save}.
   *
   * @throws UserError when a file is missing or the head does not match its json
   */
  public static RewardModel load(Path dir, NDManager manager) throws IOException {
    HeadSpec spec = HeadSpec.read(dir);
    CausalLM lm = ModelCheckpoint.load(dir, manager);
    Path f = dir.resolve(HEAD_FILE);
    if (!Files.isRegularFile(f)) {
      throw new UserError(f + ": missing; the reward model has no head weights");
    }
    Map<String, NDArray> raw = Safetensors.read(f, manager);
    Map<String, NDArray> head = new LinkedHashMap<>();
    for (String k : new String[] {WEIGHT, BIAS}) {
      if (!raw.containsKey(k)) {
        throw new UserError(f + ": missing tensor '" + k + "'");
      }
      head.put(k, raw.get(k));
    }
    Shape want = new Shape(spec.numClasses(), lm.config().nEmbd());
    if (!head.get(WEIGHT).getShape().equals(want)) {
      throw new UserError(f + ": score.weight has shape " + head.get(WEIGHT).getShape() + " but " + HeadSpec.FILE + " and config.json imply " + want);
    }
    return new RewardModel(lm, spec, head);
  }

  /**
   * Writes the transformer, tokenizer and head into {@code dir} (see the class doc).
   *
   * @throws IOException when a file cannot be written
   */
  public void save(Path dir, Tokenizer tokenizer) throws IOException {
    ModelCheckpoint.save(dir, lm, tokenizer);
    Safetensors.write(dir.resolve(HEAD_FILE), head, Map.of("format", "pt"));
    spec.write(dir);
  }

  /**
   * Overwrites the parameter values in place from {@code dir} (resuming a run).
   *
   * @throws IOException when a file cannot be read
   */
  public void loadInto(Path dir) throws IOException {
    ModelCheckpoint.loadInto(dir, lm);
    try (NoGrad g = NoGrad.open();
        NDManager tmp = head.get(WEIGHT).getManager().newSubManager()) {
      Map<String, NDArray> raw = Safetensors.read(dir.resolve(HEAD_FILE), tmp);
      for (Map.Entry<String, NDArray> e : head.entrySet()) {
        NDArray v = raw.get(e.getKey());
        if (v == null || !v.getShape().equals(e.getValue().getShape())) {
          throw new UserError(dir.resolve(HEAD_FILE) + ": tensor '" + e.getKey() + "' missing or of the wrong shape");
        }
        e.getValue().set(v.toByteBuffer());
      }
    }
  }

  /**
   * Head logits at every position.
   *
   * @param inputIds (B, T) int64
   * @param attentionMask (B, T) 1 = real token, or null
   * @return (B, T, C) float32, owned by {@code inputIds}' manager (run inside an NDScope: the
   *     transposed weight lands in the parameters' manager)
   */
  public NDArray logits(NDArray inputIds, NDArray attentionMask) {
    NDArray h = lm.hiddenStates(inputIds, attentionMask);
    return h.matMul(head.get(WEIGHT).transpose()).add(head.get(BIAS));
  }

  /** @return every trainable tensor: the transformer's, then {@code score.weight}, {@code score.bias} */
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> all = new LinkedHashMap<>(lm.parameters());
    all.putAll(head);
    return all;
  }

  /**
   * @param wrap applied to the transformer (e.g. LoRA's {@code LoraSetup.apply})
   * @return a reward model with the wrapped transformer and this model's head (shared arrays)
   */
  public RewardModel withLm(java.util.function.UnaryOperator<CausalLM> wrap) {
    return new RewardModel(wrap.apply(lm), spec, head);
  }

  /** @return the head description */
  public HeadSpec spec() {
    return spec;
  }

  /** @return the transformer */
  public CausalLM lm() {
    return lm;
  }

  @Override
  public void close() {
    lm.close();
    head.values().forEach(NDArray::close);
  }
}
