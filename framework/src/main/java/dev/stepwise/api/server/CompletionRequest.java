package dev.stepwise.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.chat.ChatMessage;
import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed and validated {@code /v1/completions} or {@code /v1/chat/completions} request.
 *
 * <p>Accepted fields (OpenAI names; unknown fields are ignored, as OpenAI's own clients send
 * extras): {@code model}, {@code prompt} (completions: a string, an array of strings, an array of
 * token ids or an array of arrays of token ids; {@link PromptField}) or {@code messages} (chat),
 * {@code n}, {@code temperature} [0, 2], {@code top_p} (0, 1], {@code max_tokens} / {@code
 * max_completion_tokens}, {@code stop} (string or array), {@code seed}, {@code logprobs}
 * (completions: an integer 0-5, the alternatives per position; chat: a boolean) and {@code
 * top_logprobs}, {@code echo} (completions), {@code stream}, {@code
 * stream_options.include_usage}, and vLLM's extras {@code top_k} and {@code ignore_eos}.
 * Features the server does not have ({@code best_of} &gt; n, non-zero penalties, {@code
 * logit_bias}, {@code echo} on chat or with {@code stream}) are rejected with a 400 rather than
 * silently ignored.
 *
 * <p>Prompt scoring (vLLM's documented behaviour of its OpenAI-compatible completions server):
 * {@code echo: true} puts the prompt in front of each choice's text and, with {@code logprobs},
 * the prompt's tokens in front of its log-probabilities; {@code max_tokens: 0} is allowed only
 * with {@code echo} and generates nothing (pure scoring). Without {@code echo}, {@code
 * max_tokens} must be &ge; 1 (400 naming {@code max_tokens}).
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
 * @param promptIds token ids per prompt when the request gave token ids (then {@code prompts}
 *     holds their decoded text), else null
 * @param echo whether the prompt is echoed (and scored, with {@code logprobs}) before each choice
 * @param topLogprobs alternatives per position asked for (completions' {@code logprobs}; chat's
 *     {@code top_logprobs}), or -1 when log-probabilities were not asked
 * @param generate false for {@code max_tokens: 0} (echo only: {@code params.maxTokens()} is then a
 *     placeholder 1 and is not used)
 */
public record CompletionRequest(
    boolean chat, List<String> prompts, SamplingParams params, boolean logprobs, boolean stream, boolean includeUsage,
    List<int[]> promptIds, boolean echo, int topLogprobs, boolean generate) {

  /**
   * As {@link #parse(JsonNode, boolean, ServerConfig, Tokenizer, int)} without a tokenizer: token-id
   * prompts are rejected (400).
   */
  public static CompletionRequest parse(JsonNode body, boolean chat, ServerConfig cfg) {
    return parse(body, chat, cfg, null, Integer.MAX_VALUE, null);
  }

  /**
   * @param body the JSON body
   * @param chat whether the endpoint is chat completions
   * @param cfg limits ({@code max_n}, default {@code max_tokens}, model name)
   * @param tokenizer decodes token-id prompts (null: they are rejected)
   * @param vocab token ids must be in [0, vocab)
   * @param template the chat template for chat requests, or null to join the contents
   * @throws OpenAiError 400 for an invalid field or a conversation the template rejects, 404 for
   *     an unknown model
   */
  public static CompletionRequest parse(
      JsonNode body, boolean chat, ServerConfig cfg, Tokenizer tokenizer, int vocab, ChatTemplate template) {
    if (body == null || !body.isObject()) {
      throw OpenAiError.invalid(null, "the request body must be a JSON object");
    }
    JsonNode model = body.get("model");
    if (model != null && !model.isNull() && !model.asText().equals(cfg.modelName())) {
      throw new OpenAiError(404, "invalid_request_error", "model", "model_not_found",
          "The model '" + model.asText() + "' does not exist; this server serves '" + cfg.modelName() + "'");
    }
    PromptField prompt = chat
        ? new PromptField(List.of(chatPrompt(messages(body.get("messages")), template)), null)
        : PromptField.parse(body.get("prompt"), tokenizer, vocab);
    boolean echo = bool(body, "echo");
    int n = intField(body, "n", 1, 1, cfg.maxN());
    double temperature = number(body, "temperature", 1.0, 0, 2);
    double topP = number(body, "top_p", 1.0, 0, 1);
    if (!(topP > 0)) {
      throw OpenAiError.invalid("top_p", "top_p must be in (0, 1]");
    }
    int topK = intField(body, "top_k", -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
    String maxKey = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    int maxTokens = intField(body, maxKey, chat ? cfg.defaultMaxTokens() : Math.min(16, cfg.defaultMaxTokens()), chat ? 1 : 0, Integer.MAX_VALUE);
    if (maxTokens == 0 && !echo) {
      throw OpenAiError.invalid(maxKey, maxKey + "=0 is only allowed with echo=true (prompt scoring); otherwise it must be >= 1");
    }
    List<String> stop = stop(body.get("stop"));
    Long seed = body.hasNonNull("seed") ? Long.valueOf(longField(body, "seed")) : null;
    boolean ignoreEos = bool(body, "ignore_eos");
    rejectUnsupported(body, n);
    boolean logprobs;
    int top;
    if (chat) {
      logprobs = bool(body, "logprobs");
      top = intField(body, "top_logprobs", 0, 0, 20);
    } else {
      logprobs = body.hasNonNull("logprobs");
      top = intField(body, "logprobs", 0, 0, 5);
    }
    boolean stream = bool(body, "stream");
    if (echo && chat) {
      throw OpenAiError.invalid("echo", "echo is supported on /v1/completions only");
    }
    if (echo && prompt.ids() == null && prompt.texts().contains("")) {
      throw OpenAiError.invalid("prompt", "echo needs non-empty prompts: an empty prompt has nothing to echo or score");
    }
    if (echo && stream) {
      throw OpenAiError.invalid("echo", "echo with stream=true is not supported by this server; send stream=false");
    }
    boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
    SamplingParams p;
    try {
      p = new SamplingParams(n, temperature, topP, topK, Math.max(1, maxTokens), stop, seed, ignoreEos);
    } catch (UserError e) {
      throw OpenAiError.invalid(null, e.getMessage());
    }
    return new CompletionRequest(chat, prompt.texts(), p, logprobs, stream, usage, prompt.ids(), echo, logprobs ? top : -1, maxTokens > 0);
  }

  private static void rejectUnsupported(JsonNode body, int n) {
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
