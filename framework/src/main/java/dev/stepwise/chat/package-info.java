/**
 * Chat templates: Hugging Face Jinja {@code chat_template}s rendered in Java as transformers'
 * {@code apply_chat_template} renders them ({@link dev.stepwise.chat.ChatTemplate}), found in a
 * model directory, named ({@code chatml}, {@code llama-3-instruct}, {@code llama-2}, {@code
 * zephyr}) or read from a file ({@link dev.stepwise.chat.ChatTemplates}, config key {@code
 * chat_template}).
 *
 * <p>The engine is HubSpot's jinjava. What Python Jinja has and jinjava lacks is added through
 * jinjava's extension points: Python {@code str} methods and extended slices through an EL
 * resolver ({@code PyMethodResolver}), {@code tojson} as a filter with {@code json.dumps}
 * output, {@code raise_exception}/{@code strftime_now} as functions, the {@code generation} tag,
 * and a small documented source rewrite for two parser differences ({@code TemplateSource}).
 * See {@code docs/models.md}, "Chat templates".
 */
package dev.stepwise.chat;
