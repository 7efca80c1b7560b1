/**
 * Talking to OpenAI-compatible services (vLLM, the Stepwise server, hosted APIs): {@link
 * dev.stepwise.api.ApiClient} (bounded concurrency, per-request timeout, retries with exponential
 * backoff and jitter honouring {@code Retry-After}, round-robin over base URLs, an API key read
 * from an environment variable and never logged), its config {@link dev.stepwise.api.ClientConfig}
 * and failure type {@link dev.stepwise.api.ApiException}; prompt scoring through a server
 * ({@link dev.stepwise.api.ApiClient#scorePrompts}, {@link dev.stepwise.api.PromptScores}). The
 * server side lives in {@code dev.stepwise.api.server}.
 */
package dev.stepwise.api;
