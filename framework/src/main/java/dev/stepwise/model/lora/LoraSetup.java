package dev.stepwise.model.lora;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.model.CausalLM;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How jobs turn on LoRA: the {@code lora} config group (absent or null = full fine-tuning) wraps
 * the model they loaded in a {@link LoraModel}, and the reference policy becomes that model's
 * adapter-off view instead of a second copy.
 */
public final class LoraSetup {
  private static final Logger LOG = LoggerFactory.getLogger(LoraSetup.class);

  private LoraSetup() {}

  /**
   * @return the bound {@code lora} group, or empty when the key is absent or null
   * @throws dev.stepwise.config.UserError for unknown or invalid {@code lora.*} keys
   */
  public static Optional<LoraConfig> config(ComposedConfig cfg) {
    return cfg.config().hasPath("lora") ? Optional.of(cfg.bind("lora", LoraConfig.class)) : Optional.empty();
  }

  /**
   * Wraps {@code model} when {@code lora} is set: fresh adapters, or the PEFT adapter of {@code
   * lora.adapter_path} (whose settings then win over the other {@code lora.*} keys).
   *
   * @param model the loaded base (or merged) model; frozen when wrapped
   * @param basePath the directory {@code model} was loaded from (recorded as the adapter's {@code
   *     base_model_name_or_path}), or null
   * @param seed seed of the adapters' initialisation
   * @return a {@link LoraModel}, or {@code model} itself when {@code lora} is not set
   */
  public static CausalLM apply(ComposedConfig cfg, CausalLM model, Path basePath, long seed) throws IOException {
    Optional<LoraConfig> lc = config(cfg);
    if (lc.isEmpty()) {
      return model;
    }
    if (basePath == null) {
      throw new dev.stepwise.config.UserError("lora is set but the model is freshly initialised: LoRA adapts a pretrained"
          + " model (set model.path or model_path), or unset lora (lora=null) to train every weight");
    }
    String base = basePath == null ? null : basePath.toAbsolutePath().normalize().toString();
    LoraConfig c = lc.get();
    LoraModel lora = c.adapterPath() != null
        ? PeftAdapter.load(Path.of(c.adapterPath()), model, base)
        : new LoraModel(model, c, base, seed);
    long n = lora.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
    long all = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
    LOG.info("LoRA r={} alpha={} on {} modules{}: {} trainable parameters of {} ({}%)", lora.loraConfig().r(),
        lora.loraConfig().alpha(), lora.adaptedModules().size(),
        c.adapterPath() != null ? " (from " + c.adapterPath() + ")" : "", n, all + n,
        String.format("%.3f", 100.0 * n / (all + n)));
    return lora;
  }

  /**
   * @return the adapter-off view of a {@link LoraModel} (the reference policy sharing its weights),
   *     or null for any other model (the caller loads a separate frozen reference)
   */
  public static CausalLM referenceOf(CausalLM policy) {
    return policy instanceof LoraModel l ? l.reference() : null;
  }
}
