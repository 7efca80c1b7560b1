/**
 * An OpenAI-compatible HTTP server for Stepwise checkpoints ({@link
 * dev.stepwise.api.server.OpenAiServer}: {@code /v1/models}, {@code /v1/completions}, {@code
 * /v1/chat/completions}, server-sent events), its request parsing and validation, the
 * OpenAI-style JSON errors, and the {@link dev.stepwise.api.server.GenerationBatcher} that groups
 * concurrent requests into one {@link dev.stepwise.generate.Sampler} call.
 */
package dev.stepwise.api.server;
