package dev.stepwise.caller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.api.ApiClient;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one prompt with vLLM sampling parameters to {@code /v1/completions} or {@code
 * /v1/chat/completions} and returns its {@code n} completions in choice order. This is the hook
 * through which other jobs (rollouts from intermediate states, best-of-n, ...) sample through the
 * API instead of a local {@link dev.stepwise.generate.Sampler}.
 *
 * <p>The request carries OpenAI's fields ({@code model}, {@code prompt} or {@code messages},
 * {@code n}, {@code temperature}, {@code top_p}, {@code max_tokens}, {@code stop}, {@code seed})
 * and vLLM's extras when they are not the default ({@code top_k} &gt; 0, {@code ignore_eos}). An
 * answer without exactly {@code n} choices with text counts as a malformed body and is retried.
 */
public final class ApiCompletions {
  /**
   * The completions of one prompt.
   *
   * @param texts {@code n} completion texts in choice order
   * @param finishReasons their finish reasons ({@code stop}, {@code length}, or "" when absent)
   * @param promptTokens {@code usage.prompt_tokens} (0 when the server sent no usage)
   * @param completionTokens {@code usage.completion_tokens} (0 when absent)
   */
  public record Result(List<String> texts, List<String> finishReasons, long promptTokens, long completionTokens) {}

  private final ApiClient client;
  private final boolean chat;
  private final String model;

  /**
   * @param client the HTTP client
   * @param cfg endpoint and model; a null model is resolved through {@code GET /models}
   * @throws UserError when the model must be resolved and {@code /models} fails or lists none
   */
  public ApiCompletions(ApiClient client, CallerConfig cfg) throws InterruptedException {
    this.client = client;
    this.chat = "chat".equals(cfg.endpoint());
    if (cfg.model() != null) {
      this.model = cfg.model();
    } else {
      JsonNode first;
      try {
        first = client.get("/models").path("data").path(0).path("id");
      } catch (dev.stepwise.api.ApiException e) {
        throw new UserError("api.caller.model is null, so the model is read from GET /models, which failed: " + e.getMessage()
            + "; is the server up? (set api.caller.model to skip this request)");
      }
      if (!first.isTextual()) {
        throw new UserError("api.caller.model is null and " + client + " lists no model on /models; set api.caller.model");
      }
      this.model = first.asText();
    }
  }

  /** @return the model id requested */
  public String model() {
    return model;
  }

  /**
   * Requests {@code p.n()} completions of {@code prompt}; blocks while the client's concurrency
   * bound is reached.
   *
   * @return completes with the result, or exceptionally with {@link dev.stepwise.api.ApiException}
   */
  public CompletableFuture<Result> complete(String prompt, SamplingParams p) throws InterruptedException {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", model);
    if (chat) {
      body.putArray("messages").addObject().put("role", "user").put("content", prompt);
    } else {
      body.put("prompt", prompt);
    }
    body.put("n", p.n());
    body.put("temperature", p.temperature());
    body.put("top_p", p.topP());
    body.put("max_tokens", p.maxTokens());
    if (!p.stop().isEmpty()) {
      var stop = body.putArray("stop");
      p.stop().forEach(stop::add);
    }
    if (p.seed() != null) {
      body.put("seed", p.seed());
    }
    if (p.topK() > 0) {
      body.put("top_k", p.topK());
    }
    if (p.ignoreEos()) {
      body.put("ignore_eos", true);
    }
    int n = p.n();
    return client.post(chat ? "/chat/completions" : "/completions", body, json -> decode(json, n));
  }

  private Result decode(JsonNode json, int n) {
    JsonNode choices = json.path("choices");
    if (!choices.isArray() || choices.size() != n) {
      throw new IllegalArgumentException("expected " + n + " choices, got " + (choices.isArray() ? choices.size() : "none"));
    }
    String[] texts = new String[n];
    String[] reasons = new String[n];
    for (JsonNode c : choices) {
      int i = c.path("index").asInt(-1);
      JsonNode t = chat ? c.path("message").path("content") : c.path("text");
      if (i < 0 || i >= n || texts[i] != null || !t.isTextual()) {
        throw new IllegalArgumentException("choice without a valid index or text: " + c);
      }
      texts[i] = t.asText();
      reasons[i] = c.path("finish_reason").asText("");
    }
    JsonNode u = json.path("usage");
    return new Result(List.of(texts), new ArrayList<>(List.of(reasons)), u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0));
  }
}
