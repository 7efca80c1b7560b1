/**
 * An OpenAI-compatible HTTP server for Stepwise checkpoints ({@link
 * dev.stepwise.api.server.OpenAiServer}: {@code /v1/models}, {@code /v1/completions}, {@code
 * /v1/chat/completions}, server-sent events), its request parsing and validation, the
 * OpenAI-style JSON errors, the {@link dev.stepwise.api.server.GenerationBatcher} that groups
 * concurrent requests into one {@link dev.stepwise.generate.Sampler} call, and prompt scoring as
 * vLLM's completions server does it ({@code echo}, {@code logprobs}, {@code max_tokens: 0},
 * token-id prompts; computed by {@link dev.stepwise.generate.PromptScorer} on the batcher's
 * thread).
 */
package dev.stepwise.api.server;
