package dev.stepwise.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.chat.ChatMessage;
import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.SamplingParams;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed and validated {@code /v1/completions} or {@code /v1/chat/completions} request.
 *
 * <p>Accepted fields (OpenAI names; unknown fields are ignored, as OpenAI's own clients send
 * extras): {@code model}, {@code prompt} (string or array of strings; completions) or {@code
 * messages} (chat), {@code n}, {@code temperature} [0, 2], {@code top_p} (0, 1], {@code
 * max_tokens} / {@code max_completion_tokens}, {@code stop} (string or array), {@code seed},
 * {@code logprobs} (completions: an integer 0-5; chat: a boolean) and {@code top_logprobs},
 * {@code stream}, {@code stream_options.include_usage}, and vLLM's extras {@code top_k} and
 * {@code ignore_eos}. Features the sampler does not have ({@code echo}, {@code best_of} &gt; n,
 * non-zero penalties, {@code logit_bias}, token-id prompts) are rejected with a 400 rather than
 * silently ignored.
 *
 * <p>Chat: with a {@link ChatTemplate} (config key {@code chat_template}), the prompt is the
 * messages rendered through it with {@code add_generation_prompt = true}, as vLLM does; a
 * template that rejects the conversation (its {@code raise_exception}) gives a 400. Without one
 * (the default, for the tiny base/SFT checkpoints), the prompt is the messages' contents joined
 * by newlines (a single user message is used verbatim).
 *
 * @param chat whether this came from {@code /v1/chat/completions}
 * @param prompts the prompts (one for chat)
 * @param params the sampling parameters
 * @param logprobs whether to return per-token log-probabilities of the chosen tokens
 * @param stream whether to answer with server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk
 */
public record CompletionRequest(
    boolean chat, List<String> prompts, SamplingParams params, boolean logprobs, boolean stream, boolean includeUsage) {

  /**
   * @param body the JSON body
   * @param chat whether the endpoint is chat completions
   * @param cfg limits ({@code max_n}, default {@code max_tokens}, model name)
   * @throws OpenAiError 400 for an invalid field, 404 for an unknown model
   */
  public static CompletionRequest parse(JsonNode body, boolean chat, ServerConfig cfg) {
    return parse(body, chat, cfg, null);
  }

  /**
   * @param body the JSON body
   * @param chat whether the endpoint is chat completions
   * @param cfg limits ({@code max_n}, default {@code max_tokens}, model name)
   * @param template the chat template for chat requests, or null to join the contents
   * @throws OpenAiError 400 for an invalid field or a conversation the template rejects, 404 for
   *     an unknown model
   */
  public static CompletionRequest parse(JsonNode body, boolean chat, ServerConfig cfg, ChatTemplate template) {
    if (body == null || !body.isObject()) {
      throw OpenAiError.invalid(null, "the request body must be a JSON object");
    }
    JsonNode model = body.get("model");
    if (model != null && !model.isNull() && !model.asText().equals(cfg.modelName())) {
      throw new OpenAiError(404, "invalid_request_error", "model", "model_not_found",
          "The model '" + model.asText() + "' does not exist; this server serves '" + cfg.modelName() + "'");
    }
    List<String> prompts = chat ? List.of(chatPrompt(messages(body.get("messages")), template)) : prompts(body.get("prompt"));
    int n = intField(body, "n", 1, 1, cfg.maxN());
    double temperature = number(body, "temperature", 1.0, 0, 2);
    double topP = number(body, "top_p", 1.0, 0, 1);
    if (!(topP > 0)) {
      throw OpenAiError.invalid("top_p", "top_p must be in (0, 1]");
    }
    int topK = intField(body, "top_k", -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
    String maxKey = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    int maxTokens = intField(body, maxKey, chat ? cfg.defaultMaxTokens() : Math.min(16, cfg.defaultMaxTokens()), 1, Integer.MAX_VALUE);
    List<String> stop = stop(body.get("stop"));
    Long seed = body.hasNonNull("seed") ? Long.valueOf(longField(body, "seed")) : null;
    boolean ignoreEos = bool(body, "ignore_eos");
    rejectUnsupported(body, n);
    boolean logprobs;
    if (chat) {
      logprobs = bool(body, "logprobs");
      intField(body, "top_logprobs", 0, 0, 20);
    } else {
      logprobs = body.hasNonNull("logprobs") && intField(body, "logprobs", 0, 0, 5) >= 0;
    }
    boolean stream = bool(body, "stream");
    boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
    SamplingParams p;
    try {
      p = new SamplingParams(n, temperature, topP, topK, maxTokens, stop, seed, ignoreEos);
    } catch (UserError e) {
      throw OpenAiError.invalid(null, e.getMessage());
    }
    return new CompletionRequest(chat, prompts, p, logprobs, stream, usage);
  }

  private static void rejectUnsupported(JsonNode body, int n) {
    if (bool(body, "echo")) {
      throw OpenAiError.invalid("echo", "echo=true is not supported by this server");
    }
    if (body.hasNonNull("best_of") && body.get("best_of").asInt() > n) {
      throw OpenAiError.invalid("best_of", "best_of > n is not supported by this server");
    }
    for (String k : List.of("presence_penalty", "frequency_penalty")) {
      if (body.hasNonNull(k) && body.get(k).asDouble() != 0) {
        throw OpenAiError.invalid(k, k + " is not supported by this server (only 0)");
      }
    }
    if (body.hasNonNull("logit_bias") && body.get("logit_bias").size() > 0) {
      throw OpenAiError.invalid("logit_bias", "logit_bias is not supported by this server");
    }
  }

  private static List<String> prompts(JsonNode p) {
    if (p == null || p.isNull()) {
      throw OpenAiError.invalid("prompt", "prompt is required");
    }
    if (p.isTextual()) {
      return List.of(p.asText());
    }
    if (p.isArray() && p.size() > 0) {
      List<String> out = new ArrayList<>();
      for (JsonNode e : p) {
        if (!e.isTextual()) {
          throw OpenAiError.invalid("prompt", "prompt must be a string or an array of strings (token-id prompts are not supported)");
        }
        out.add(e.asText());
      }
      return out;
    }
    throw OpenAiError.invalid("prompt", "prompt must be a string or a non-empty array of strings");
  }

  private static List<ChatMessage> messages(JsonNode messages) {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw OpenAiError.invalid("messages", "messages must be a non-empty array");
    }
    List<ChatMessage> out = new ArrayList<>();
    for (JsonNode m : messages) {
      String role = m.path("role").asText("");
      if (role.isBlank()) {
        throw OpenAiError.invalid("messages", "every message needs a role");
      }
      JsonNode c = m.get("content");
      if (c != null && c.isTextual()) {
        out.add(new ChatMessage(role, c.asText()));
      } else if (c != null && c.isArray()) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : c) {
          if (!"text".equals(part.path("type").asText())) {
            throw OpenAiError.invalid("messages", "only text content parts are supported");
          }
          sb.append(part.path("text").asText());
        }
        out.add(new ChatMessage(role, sb.toString()));
      } else {
        throw OpenAiError.invalid("messages", "every message needs a text content");
      }
    }
    return out;
  }

  private static String chatPrompt(List<ChatMessage> messages, ChatTemplate template) {
    if (template != null) {
      try {
        return template.render(messages, true);
      } catch (UserError e) {
        throw OpenAiError.invalid("messages", e.getMessage());
      }
    }
    List<String> parts = new ArrayList<>();
    for (ChatMessage m : messages) {
      parts.add(m.content());
    }
    return String.join("\n", parts);
  }

  private static List<String> stop(JsonNode s) {
    if (s == null || s.isNull()) {
      return List.of();
    }
    if (s.isTextual()) {
      return s.asText().isEmpty() ? List.of() : List.of(s.asText());
    }
    if (s.isArray()) {
      List<String> out = new ArrayList<>();
      for (JsonNode e : s) {
        if (!e.isTextual() || e.asText().isEmpty()) {
          throw OpenAiError.invalid("stop", "stop must be a string or an array of non-empty strings");
        }
        out.add(e.asText());
      }
      return out;
    }
    throw OpenAiError.invalid("stop", "stop must be a string or an array of strings");
  }

  private static boolean bool(JsonNode body, String key) {
    JsonNode v = body.get(key);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw OpenAiError.invalid(key, key + " must be a boolean");
    }
    return v.asBoolean();
  }

  private static int intField(JsonNode body, String key, int dflt, int min, int max) {
    JsonNode v = body.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
      throw OpenAiError.invalid(key, key + " must be an integer in [" + min + ", " + max + "], got " + v);
    }
    return v.asInt();
  }

  private static long longField(JsonNode body, String key) {
    JsonNode v = body.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw OpenAiError.invalid(key, key + " must be an integer, got " + v);
    }
    return v.asLong();
  }

  private static double number(JsonNode body, String key, double dflt, double min, double max) {
    JsonNode v = body.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw OpenAiError.invalid(key, key + " must be a number in [" + min + ", " + max + "], got " + v);
    }
    return v.asDouble();
  }
}
