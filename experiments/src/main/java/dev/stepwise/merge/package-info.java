/**
 * The {@code merge} job of {@code sampler.jar}: folds a PEFT LoRA adapter into its base model and
 * writes a full Hugging Face checkpoint (docs/lora.md).
 */
package dev.stepwise.merge;
