package dev.stepwise.model;

/**
 * One linear projection of a decoder layer, as LoRA sees it: the Hugging Face module path and its
 * feature counts, so an adapter can be built for any family without knowing its layout.
 *
 * @param name module path as in the Hugging Face model, e.g. {@code model.layers.0.self_attn.q_proj}
 *     (Llama) or {@code transformer.h.0.attn.c_attn} (GPT-2); the weight is {@code name + ".weight"}
 * @param inFeatures input width (columns of x)
 * @param outFeatures output width
 * @param fanInFanOut true when the weight is stored (in, out), as GPT-2's {@code Conv1D} does
 *     (PEFT's {@code fan_in_fan_out}); false for torch's {@code nn.Linear} layout (out, in)
 */
public record LinearModule(String name, int inFeatures, int outFeatures, boolean fanInFanOut) {
  /** @return the last component of {@link #name()}, e.g. {@code q_proj} */
  public String leaf() {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** @return the weight's parameter name, {@code name + ".weight"} */
  public String weight() {
    return name + ".weight";
  }
}
