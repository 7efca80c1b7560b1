package dev.stepwise.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import dev.stepwise.model.LinearModule;
import dev.stepwise.model.ParameterVersion;
import dev.stepwise.model.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * PEFT's adapter files (PEFT docs, "Checkpoint format"): {@code adapter_config.json}, the
 * {@code LoraConfig} as JSON ({@code peft_type: "LORA"}, {@code task_type: "CAUSAL_LM"}, {@code
 * r}, {@code lora_alpha}, {@code lora_dropout}, {@code target_modules}, {@code modules_to_save},
 * {@code bias}, {@code fan_in_fan_out}, {@code base_model_name_or_path}, {@code inference_mode},
 * {@code init_lora_weights}, {@code use_rslora}, ...), and {@code adapter_model.safetensors}
 * with one (r, in) {@code base_model.model.<module path>.lora_A.weight} and one (out, r) {@code
 * .lora_B.weight} per adapted module (no adapter name in the key, as {@code save_pretrained}
 * writes them). Such a directory loads with {@code PeftModel.from_pretrained} and vLLM's LoRA
 * support; adapters written by PEFT load here.
 */
public final class PeftAdapter {
  /** The adapter's config file. */
  public static final String CONFIG = "adapter_config.json";
  /** The adapter's tensors. */
  public static final String WEIGHTS = "adapter_model.safetensors";

  private static final ObjectMapper JSON = new ObjectMapper();

  private PeftAdapter() {}

  /** @return whether {@code dir} holds a PEFT adapter ({@code adapter_config.json}) */
  public static boolean isAdapterDir(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG));
  }

  /**
   * Writes {@code adapter_config.json} and {@code adapter_model.safetensors} into {@code dir}
   * (created). {@code target_modules} is written as configured; {@code all-linear} and the family
   * default are written as the sorted set of adapted module names, as PEFT does.
   *
   * @throws IOException when a file cannot be written
   */
  public static void save(Path dir, LoraModel model) throws IOException {
    Files.createDirectories(dir);
    LoraConfig c = model.loraConfig();
    ObjectNode n = JSON.createObjectNode();
    n.put("peft_type", "LORA");
    n.put("task_type", "CAUSAL_LM");
    if (model.basePath() == null) {
      n.putNull("base_model_name_or_path");
    } else {
      n.put("base_model_name_or_path", model.basePath());
    }
    n.putNull("revision");
    n.put("inference_mode", true);
    n.put("r", c.r());
    ArrayNode targets = n.putArray("target_modules");
    List<String> t = c.targetModules();
    if (t == null || t.equals(List.of(LoraConfig.ALL_LINEAR))) {
      TreeSet<String> leaves = new TreeSet<>();
      model.adaptedModules().forEach(m -> leaves.add(m.leaf()));
      leaves.forEach(targets::add);
    } else if (t.size() == 1 && !t.get(0).matches("[\\w.]+")) {
      n.put("target_modules", t.get(0)); // PEFT's regex form is a plain string
    } else {
      t.forEach(targets::add);
    }
    n.put("lora_alpha", c.alpha());
    n.put("lora_dropout", c.dropout());
    boolean fanInFanOut = !model.adaptedModules().isEmpty() && model.adaptedModules().get(0).fanInFanOut();
    n.put("fan_in_fan_out", fanInFanOut);
    n.put("bias", c.bias());
    if (c.modulesToSave().isEmpty()) {
      n.putNull("modules_to_save");
    } else {
      c.modulesToSave().forEach(n.putArray("modules_to_save")::add);
    }
    n.put("init_lora_weights", c.initLoraWeights());
    n.putNull("layers_to_transform");
    n.putNull("layers_pattern");
    n.putObject("rank_pattern");
    n.putObject("alpha_pattern");
    n.put("use_rslora", c.useRslora());
    n.put("use_dora", false);
    Files.writeString(dir.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    Safetensors.write(dir.resolve(WEIGHTS), model.parameters(), Map.of("format", "pt"));
  }

  /**
   * An adapter's settings as read from {@code adapter_config.json}.
   *
   * @param config the LoRA settings ({@code adapter_path} unset)
   * @param baseModel {@code base_model_name_or_path}, or null
   * @param fanInFanOut the file's {@code fan_in_fan_out}
   */
  public record Settings(LoraConfig config, String baseModel, boolean fanInFanOut) {}

  /**
   * Reads {@code adapter_config.json}.
   *
   * @throws UserError when the file is missing, is not a LoRA adapter, or uses a feature Stepwise
   *     does not implement (DoRA, per-module rank or alpha patterns, layer selection, trained biases)
   */
  public static Settings readSettings(Path dir) throws IOException {
    Path f = dir.resolve(CONFIG);
    if (!Files.isRegularFile(f)) {
      throw new UserError(f + ": missing; not a PEFT adapter directory");
    }
    JsonNode n;
    try {
      n = JSON.readTree(f.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError(f + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    String type = n.path("peft_type").asText("");
    if (!type.equals("LORA")) {
      throw new UserError(f + ": peft_type is '" + type + "'; Stepwise reads LORA adapters only");
    }
    if (n.path("use_dora").asBoolean(false)) {
      throw new UserError(f + ": use_dora = true (DoRA) is not supported");
    }
    for (String k : new String[] {"rank_pattern", "alpha_pattern"}) {
      if (n.has(k) && n.get(k).size() > 0) {
        throw new UserError(f + ": " + k + " (per-module rank/alpha) is not supported");
      }
    }
    if (n.hasNonNull("layers_to_transform")) {
      throw new UserError(f + ": layers_to_transform is not supported (adapt every layer)");
    }
    if (!n.hasNonNull("r") || !n.get("r").canConvertToInt()) {
      throw new UserError(f + ": key 'r' is missing or not an integer");
    }
    List<String> targets = new ArrayList<>();
    JsonNode t = n.path("target_modules");
    if (t.isArray()) {
      t.forEach(e -> targets.add(e.asText()));
    } else if (t.isTextual()) {
      targets.add(t.asText());
    }
    List<String> save = new ArrayList<>();
    n.path("modules_to_save").forEach(e -> save.add(e.asText()));
    JsonNode init = n.path("init_lora_weights");
    LoraConfig c = new LoraConfig(n.get("r").asInt(), n.path("lora_alpha").asDouble(8), n.path("lora_dropout").asDouble(0),
        targets.isEmpty() ? null : targets, save, n.path("bias").asText("none"),
        init.isBoolean() ? init.asBoolean() : Boolean.TRUE, n.path("use_rslora").asBoolean(false), null);
    JsonNode base = n.get("base_model_name_or_path");
    return new Settings(c, base == null || base.isNull() ? null : base.asText(), n.path("fan_in_fan_out").asBoolean(false));
  }

  /**
   * Copies the tensors of {@code dir}'s {@code adapter_model.safetensors} into {@code model}'s
   * adapter matrices, in place (the same arrays, so an optimizer holding them sees the values).
   *
   * @throws UserError naming the file and tensor when a tensor is missing, unexpected or of the
   *     wrong shape, or the file's r or target modules differ from the model's
   * @throws IOException when the file cannot be read
   */
  public static void loadInto(Path dir, LoraModel model) throws IOException {
    Path f = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(f)) {
      throw new UserError(f + ": missing" + (Files.isRegularFile(dir.resolve("adapter_model.bin"))
          ? " (only adapter_model.bin is there: Stepwise reads safetensors; save with safe_serialization=True)" : ""));
    }
    Map<String, NDArray> params = model.parameters();
    NDManager any = params.values().iterator().next().getManager();
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager tmp = any.newSubManager()) {
      Map<String, NDArray> saved = Safetensors.read(f, tmp);
      for (String k : saved.keySet()) {
        if (!params.containsKey(k)) {
          throw new UserError(f + ": unexpected tensor '" + k + "'; the model's adapter has "
              + params.size() + " tensors such as " + params.keySet().iterator().next()
              + " (target_modules, or a base model of another architecture?)");
        }
      }
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray src = saved.get(e.getKey());
        if (src == null) {
          throw new UserError(f + ": missing tensor '" + e.getKey() + "'");
        }
        if (!src.getShape().equals(e.getValue().getShape())) {
          throw new UserError(f + ": tensor '" + e.getKey() + "' has shape " + src.getShape() + ", the model expects "
              + e.getValue().getShape() + " (r " + model.loraConfig().r() + ")");
        }
        e.getValue().set(new NDIndex("..."), src.toType(DataType.FLOAT32, false));
      }
    } finally {
      JniUtils.setGradMode(grad);
      ParameterVersion.bumpLoad();
    }
  }

  /**
   * A LoRA model on {@code base} with the adapter of {@code dir}: its settings and tensors.
   *
   * @param basePath the base's directory, recorded for later saves
   * @throws UserError when the files are malformed or do not fit the base
   */
  public static LoraModel load(Path dir, dev.stepwise.model.CausalLM base, String basePath) throws IOException {
    Settings s = readSettings(dir);
    LoraModel m = new LoraModel(base, s.config(), basePath, 0);
    List<LinearModule> adapted = m.adaptedModules();
    if (!adapted.isEmpty() && adapted.get(0).fanInFanOut() != s.fanInFanOut()) {
      // PEFT sets fan_in_fan_out for GPT-2's Conv1D itself and warns; the tensors' shapes are the same either way
      org.slf4j.LoggerFactory.getLogger(PeftAdapter.class).warn("{}: fan_in_fan_out = {} but the {} model's projections are {}",
          dir.resolve(CONFIG), s.fanInFanOut(), base.config().family(), adapted.get(0).fanInFanOut() ? "(in, out) Conv1D" : "(out, in)");
    }
    loadInto(dir, m);
    return m;
  }
}
