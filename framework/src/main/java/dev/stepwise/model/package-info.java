/**
 * Decoder-only language models on DJL's PyTorch engine: the model config, model families (GPT-2
 * style, Hugging Face parameter names), tokenizers (character-level and Hugging Face {@code
 * tokenizer.json}), safetensors I/O and Hugging Face-style checkpoint directories.
 */
package dev.stepwise.model;
