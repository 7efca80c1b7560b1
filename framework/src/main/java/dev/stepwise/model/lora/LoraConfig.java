package dev.stepwise.model.lora;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;
import java.util.List;

/**
 * The {@code lora} config group, PEFT's {@code LoraConfig} with Stepwise's key names (PEFT's
 * name in brackets where it differs). A key left out takes PEFT's default.
 *
 * @param r rank of the update B·A, &ge; 1 (default 8)
 * @param alpha [{@code lora_alpha}] scaling numerator: the update is multiplied by alpha / r, or
 *     alpha / √r with {@code use_rslora} (default 8)
 * @param dropout [{@code lora_dropout}] dropout probability on the adapter's input during
 *     training, in [0, 1) (default 0)
 * @param targetModules module names to adapt: each entry matches a module whose path equals it or
 *     ends with {@code "." + entry} ({@code q_proj}, {@code mlp.c_proj}, ...); {@code all-linear}
 *     adapts every linear projection of the decoder layers (not the LM head); a single entry with
 *     regex characters is matched against the whole module path (PEFT's string form). Null (the
 *     default) uses PEFT's per-family default: {@code [q_proj, v_proj]} for Llama-family models,
 *     {@code [c_attn]} for GPT-2
 * @param modulesToSave modules trained in full beside the adapter and saved with it: only heads
 *     that live outside the language model (a reward model's {@code score}, a PPO value head),
 *     which Stepwise always trains in full; the names are recorded in {@code adapter_config.json}
 *     (default none)
 * @param bias only {@code none} (PEFT's default: no bias is trained)
 * @param initLoraWeights [{@code init_lora_weights}] true: A Kaiming-uniform, B = 0, so the adapted
 *     model starts equal to the base (PEFT's default); false: B Kaiming-uniform too (a non-zero
 *     update from the start, for tests)
 * @param useRslora [{@code use_rslora}] scale by alpha / √r (rank-stabilised LoRA, Kalajdzievski
 *     2023) instead of alpha / r (default false)
 * @param adapterPath a PEFT adapter directory to start from instead of the fresh initialisation
 *     (its r, alpha, target modules replace these keys' values); null = fresh (default)
 */
public record LoraConfig(
    @Nullable @JsonProperty("r") Integer r,
    @Nullable @JsonProperty("alpha") Double alpha,
    @Nullable @JsonProperty("dropout") Double dropout,
    @Nullable @JsonProperty("target_modules") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> targetModules,
    @Nullable @JsonProperty("modules_to_save") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> modulesToSave,
    @Nullable @JsonProperty("bias") String bias,
    @Nullable @JsonProperty("init_lora_weights") Boolean initLoraWeights,
    @Nullable @JsonProperty("use_rslora") Boolean useRslora,
    @Nullable @JsonProperty("adapter_path") String adapterPath) {

  /** The value of {@code target_modules} that selects every decoder-layer projection. */
  public static final String ALL_LINEAR = "all-linear";

  /**
   * Fills defaults and validates.
   *
   * @throws UserError naming the {@code lora.*} key whose value is invalid
   */
  public LoraConfig {
    r = r == null ? 8 : r;
    alpha = alpha == null ? 8.0 : alpha;
    dropout = dropout == null ? 0.0 : dropout;
    modulesToSave = modulesToSave == null ? List.of() : List.copyOf(modulesToSave);
    targetModules = targetModules == null ? null : List.copyOf(targetModules);
    bias = bias == null ? "none" : bias;
    initLoraWeights = initLoraWeights == null ? Boolean.TRUE : initLoraWeights;
    useRslora = useRslora == null ? Boolean.FALSE : useRslora;
    if (r < 1) {
      throw new UserError("lora.r = " + r + " must be >= 1");
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new UserError("lora.alpha = " + alpha + " must be a positive number");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new UserError("lora.dropout = " + dropout + " must be in [0, 1)");
    }
    if (!bias.equals("none")) {
      throw new UserError("lora.bias = '" + bias + "': only 'none' is supported (PEFT's default; 'all' and 'lora_only'"
          + " would train the base model's biases)");
    }
    if (targetModules != null && targetModules.isEmpty()) {
      throw new UserError("lora.target_modules is empty; name modules (q_proj, v_proj, ...), use all-linear, or leave it"
          + " unset for the family's default");
    }
  }

  /** @return PEFT's defaults (r 8, alpha 8, no dropout, the family's default targets) */
  public static LoraConfig defaults() {
    return new LoraConfig(null, null, null, null, null, null, null, null, null);
  }

  /** @return this config with other target modules */
  public LoraConfig withTargets(List<String> targets) {
    return new LoraConfig(r, alpha, dropout, targets, modulesToSave, bias, initLoraWeights, useRslora, adapterPath);
  }

  /** @return alpha / r, or alpha / √r with {@code use_rslora} */
  public double scale() {
    return useRslora ? alpha / Math.sqrt(r) : alpha / r;
  }
}
