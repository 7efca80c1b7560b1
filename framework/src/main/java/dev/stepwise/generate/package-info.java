/**
 * Text generation from a {@link dev.stepwise.model.CausalLM}: vLLM-style sampling parameters,
 * batched KV-cache decoding with left-padded prompts, {@code n} continuations per prompt sharing
 * one prefill, on-device temperature / top-k / top-p sampling with per-row seeded randomness, and
 * stop conditions (EOS, {@code max_tokens}, stop strings, the context length); and scoring of
 * given sequences ({@link dev.stepwise.generate.PromptScorer}: per-token log-probabilities and
 * top alternatives from one no-grad forward).
 */
package dev.stepwise.generate;
