/**
 * The Llama model family (Llama 2/3.x, Mistral, Qwen2/2.5, Qwen3, SmolLM, TinyLlama) read from
 * Hugging Face directories: its {@code config.json} ({@link dev.stepwise.model.llama.LlamaConfigJson}),
 * rotary scalings, parameter names, and the libtorch training graph; decoding runs in {@code
 * dev.stepwise.model.cpu}.
 */
package dev.stepwise.model.llama;
