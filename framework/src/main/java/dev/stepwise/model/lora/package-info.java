/**
 * LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models", eq. 3: h = W₀x +
 * (α/r)·B·A·x) as a {@link dev.stepwise.model.CausalLM} wrapper, configured and saved like
 * Hugging Face PEFT: {@link dev.stepwise.model.lora.LoraConfig} mirrors PEFT's {@code
 * LoraConfig}, {@link dev.stepwise.model.lora.LoraModel} trains only the adapter matrices on a
 * frozen base and can switch the adapter off (the DPO/PPO reference without a second copy),
 * {@link dev.stepwise.model.lora.PeftAdapter} reads and writes {@code adapter_config.json} and
 * {@code adapter_model.safetensors}, and {@link dev.stepwise.model.lora.LoraMerge} folds an
 * adapter into a full Hugging Face checkpoint. See docs/lora.md.
 */
package dev.stepwise.model.lora;
