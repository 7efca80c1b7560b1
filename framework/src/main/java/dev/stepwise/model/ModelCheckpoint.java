package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.stepwise.config.UserError;
import dev.stepwise.model.lora.LoraMerge;
import dev.stepwise.model.lora.LoraModel;
import dev.stepwise.model.lora.PeftAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face-style model directories: {@code config.json} (see {@link HfConfigJson}), {@code
 * model.safetensors} (float32, {@link CausalLM#parameters()} names and order, no separate {@code
 * lm_head.weight} since the head is tied), {@code generation_config.json} (bos/eos/pad ids) and
 * the tokenizer's own files ({@link Tokenizer#save}).
 *
 * <p>Loading is bit-exact and strict: a missing directory or file, a tensor name that is missing
 * or unexpected, or a shape that differs from {@code config.json} is a {@link UserError} naming
 * the file and the tensor. For interoperability, Hugging Face GPT-2 files also load: names
 * without the {@code transformer.} prefix, the non-parameter buffers {@code *.attn.bias} and
 * {@code *.attn.masked_bias}, and a tied {@code lm_head.weight} are accepted; F16 and BF16
 * tensors are widened to float32.
 *
 * <p>LoRA ({@link dev.stepwise.model.lora}): saving a {@link LoraModel} writes its PEFT adapter
 * ({@code adapter_config.json}, {@code adapter_model.safetensors}) with the tokenizer and
 * generation config instead of the full weights; loading a directory that has {@code
 * adapter_config.json} and no {@code config.json} loads the base model it names and folds the
 * adapter in; {@link #readConfig} of such a directory reads the base's config.
 */
public final class ModelCheckpoint {
  /** The model's shape, Hugging Face GPT-2 keys plus {@code stepwise_family}. */
  public static final String CONFIG = "config.json";

  /** The parameters, float32, Hugging Face names. */
  public static final String WEIGHTS = "model.safetensors";

  /** bos/eos/pad token ids for generation (written when a tokenizer is given). */
  public static final String GENERATION_CONFIG = "generation_config.json";

  private ModelCheckpoint() {}

  /**
   * Writes the model (and the tokenizer, when not null) into {@code dir}, creating it; for a
   * {@link LoraModel} the PEFT adapter files instead of config.json and the full weights.
   *
   * @throws IOException when a file cannot be written
   */
  public static void save(Path dir, CausalLM model, Tokenizer tokenizer) throws IOException {
    Files.createDirectories(dir);
    if (model instanceof LoraModel lora) {
      PeftAdapter.save(dir, lora);
    } else {
      Files.writeString(
          dir.resolve(CONFIG),
          HfConfigJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(HfConfigJson.toJson(model.config(), tokenizer)));
      Safetensors.write(dir.resolve(WEIGHTS), model.parameters(), Map.of("format", "pt"));
    }
    if (tokenizer != null) {
      Files.writeString(
          dir.resolve(GENERATION_CONFIG),
          HfConfigJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(HfConfigJson.generationConfig(model.config(), tokenizer)));
      tokenizer.save(dir);
    }
  }

  /**
   * Reads {@code config.json} only.
   *
   * @throws UserError when the directory or file is missing or malformed
   */
  public static ModelConfig readConfig(Path dir) throws IOException {
    if (isAdapterOnly(dir)) {
      return readConfig(LoraMerge.basePath(dir));
    }
    return HfConfigJson.read(HfDirs.resolve(dir).resolve(CONFIG));
  }

  /**
   * Builds the model a checkpoint describes, with its saved parameters (trainable).
   *
   * @param manager parent manager of the model's arrays
   * @throws UserError when the checkpoint is incomplete or does not match its config
   * @throws IOException when a file cannot be read
   */
  public static CausalLM load(Path dir, NDManager manager) throws IOException {
    if (isAdapterOnly(dir)) {
      return LoraMerge.loadMerged(dir, null, manager);
    }
    dir = HfDirs.resolve(dir);
    ModelConfig config = readConfig(dir);
    ModelFamily family = ModelFamilies.get(config.family());
    Map<String, Shape> expected = family.parameterShapes(config);
    NDManager tmp = manager.newSubManager();
    try {
      Map<String, NDArray> tensors = readWeights(dir, expected, tmp);
      return family.wrap(config, manager, tensors);
    } finally {
      tmp.close(); // the model re-attached the tensors it kept
    }
  }

  /**
   * Overwrites {@code model}'s parameter values in place (the same NDArray objects, so an
   * optimizer holding them sees the restored values): what resuming a run needs.
   *
   * @throws UserError when the checkpoint's config or tensors do not match the model
   * @throws IOException when a file cannot be read
   */
  public static void loadInto(Path dir, CausalLM model) throws IOException {
    if (model instanceof LoraModel lora) {
      PeftAdapter.loadInto(dir, lora);
      return;
    }
    dir = HfDirs.resolve(dir);
    ModelConfig saved = readConfig(dir);
    ModelConfig have = model.config();
    checkSame(dir, "vocab_size", saved.vocabSize(), have.vocabSize());
    checkSame(dir, "n_embd", saved.nEmbd(), have.nEmbd());
    checkSame(dir, "n_layer", saved.nLayer(), have.nLayer());
    checkSame(dir, "n_head", saved.nHead(), have.nHead());
    checkSame(dir, "n_positions", saved.nPositions(), have.nPositions());
    Map<String, Shape> expected = new LinkedHashMap<>();
    model.parameters().forEach((k, v) -> expected.put(k, v.getShape()));
    NDManager any = model.parameters().values().iterator().next().getManager();
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false); // in-place writes to leaves that require grad
    try (NDManager tmp = any.newSubManager()) {
      Map<String, NDArray> tensors = readWeights(dir, expected, tmp);
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        e.getValue().set(tensors.get(e.getKey()).toByteBuffer());
      }
    } finally {
      JniUtils.setGradMode(grad);
      ParameterVersion.bumpLoad();
    }
  }

  /** @return whether {@code dir} is a PEFT adapter directory without full weights of its own */
  public static boolean isAdapterOnly(Path dir) {
    return PeftAdapter.isAdapterDir(dir) && !Files.isRegularFile(dir.resolve(CONFIG));
  }

  private static void checkSame(Path dir, String key, int saved, int model) {
    if (saved != model) {
      throw new UserError(dir.resolve(CONFIG) + ": " + key + " is " + saved + " but the model has " + model);
    }
  }

  /**
   * Reads the weights (one file or shards, {@link HfWeights}), normalises Hugging Face names,
   * drops known buffers and a tied head's duplicate, checks names and shapes against {@code
   * expected} and widens to float32. Messages name the file each tensor came from.
   */
  private static Map<String, NDArray> readWeights(Path dir, Map<String, Shape> expected, NDManager m)
      throws IOException {
    Map<String, HfWeights.Tensor> raw = HfWeights.read(dir, m);
    Map<String, HfWeights.Tensor> out = new LinkedHashMap<>();
    List<String> unexpected = new ArrayList<>();
    Path unexpectedFile = null;
    Path someFile = raw.isEmpty() ? dir.resolve(WEIGHTS) : raw.values().iterator().next().file();
    for (Map.Entry<String, HfWeights.Tensor> e : raw.entrySet()) {
      String name = e.getKey();
      if (!expected.containsKey(name) && expected.containsKey("transformer." + name)) {
        name = "transformer." + name;
      }
      if (!expected.containsKey(name) && isIgnorable(name, e.getValue().array(), expected)) {
        continue;
      }
      if (!expected.containsKey(name)) {
        unexpected.add(e.getKey());
        unexpectedFile = unexpectedFile == null ? e.getValue().file() : unexpectedFile;
        continue;
      }
      out.put(name, e.getValue());
    }
    if (!unexpected.isEmpty()) {
      throw new UserError(unexpectedFile + ": unexpected tensor(s) " + firstFew(unexpected) + " for the model its config.json describes");
    }
    List<String> missing = new ArrayList<>();
    for (String k : expected.keySet()) {
      if (!out.containsKey(k)) {
        missing.add(k);
      }
    }
    if (!missing.isEmpty()) {
      throw new UserError(someFile + ": missing tensor(s) " + firstFew(missing) + " that config.json implies");
    }
    Map<String, NDArray> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      HfWeights.Tensor t = out.get(e.getKey());
      NDArray a = t.array();
      if (!a.getShape().equals(e.getValue())) {
        throw new UserError(t.file() + ": tensor '" + e.getKey() + "' has shape " + a.getShape()
            + " but config.json implies " + e.getValue());
      }
      if (a.getDataType() != DataType.FLOAT32) {
        if (a.getDataType() != DataType.FLOAT16 && a.getDataType() != DataType.FLOAT64) {
          throw new UserError(t.file() + ": tensor '" + e.getKey() + "' has dtype " + a.getDataType()
              + "; expected a floating-point type (F32, F16, BF16)");
        }
        NDArray wide = a.toType(DataType.FLOAT32, false);
        a.close(); // one copy at a time: peak memory stays near the float32 model
        a = wide;
      }
      ordered.put(e.getKey(), a);
    }
    return ordered;
  }

  /**
   * Buffers that carry no parameters (Hugging Face GPT-2's attention masks, old Llama files'
   * rotary {@code inv_freq}) and a tied head's {@code lm_head.weight} (the embedding's copy).
   */
  private static boolean isIgnorable(String name, NDArray a, Map<String, Shape> expected) {
    if (name.endsWith(".attn.masked_bias") || (name.endsWith(".attn.bias") && a.getShape().dimension() == 4)
        || name.endsWith(".rotary_emb.inv_freq")) {
      return true;
    }
    Shape emb = expected.containsKey("transformer.wte.weight") ? expected.get("transformer.wte.weight")
        : expected.get("model.embed_tokens.weight");
    return name.equals("lm_head.weight") && emb != null && emb.equals(a.getShape());
  }

  private static String firstFew(List<String> names) {
    List<String> shown = names.subList(0, Math.min(5, names.size()));
    return shown + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
  }
}
