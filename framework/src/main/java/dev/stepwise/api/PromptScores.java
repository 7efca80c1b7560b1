package dev.stepwise.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One prompt's per-token log-probabilities as a server reports them for a scoring request
 * ({@code /v1/completions} with {@code echo: true}, {@code logprobs: k}, {@code max_tokens: 0}:
 * vLLM's documented OpenAI-compatible behaviour, which the Stepwise server follows). Built by
 * {@link ApiClient#scorePrompts} and {@link ApiClient#scoreTexts}.
 *
 * @param tokens the prompt's tokens as the server decodes them, one per position
 * @param logprobs per position log p(token | earlier tokens) in nats (&le; 0; servers floor
 *     impossible tokens at -9999); {@code logprobs[0]} is {@link Double#NaN}: the first token
 *     has no context and servers send {@code null}
 * @param topLogprobs per position the server's map token → log-prob (the position's own token
 *     and up to k alternatives, most likely first); {@code null} at position 0; unmodifiable
 */
public record PromptScores(List<String> tokens, double[] logprobs, List<Map<String, Double>> topLogprobs) {
  /** @return the sum of the defined log-probabilities (positions 1..T-1), in nats */
  public double total() {
    double s = 0;
    for (int t = 1; t < logprobs.length; t++) {
      s += logprobs[t];
    }
    return s;
  }

  /**
   * @param model the model id, or null to leave it out (the Stepwise server then uses its model;
   *     vLLM needs one)
   * @param prompts the prompt node: an array of strings or an array of arrays of token ids
   * @param topLogprobs alternatives per position, 0-5 (OpenAI's limit; vLLM allows more)
   * @return the scoring request body: {@code echo}, {@code logprobs}, {@code max_tokens: 0},
   *     {@code temperature: 0}, {@code n: 1}
   */
  static ObjectNode request(String model, ArrayNode prompts, int topLogprobs) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (model != null) {
      body.put("model", model);
    }
    body.set("prompt", prompts);
    body.put("echo", true);
    body.put("logprobs", topLogprobs);
    body.put("max_tokens", 0);
    body.put("temperature", 0.0);
    body.put("n", 1);
    return body;
  }

  /**
   * Decodes a scoring answer.
   *
   * @param body the 200 body
   * @param lengths per prompt its token count when known (token-id prompts), else -1
   * @return one entry per prompt, ordered by choice {@code index}
   * @throws IllegalStateException when the body does not hold one choice with prompt log-probs
   *     per prompt, or a token-id prompt's scores have another length (the client retries it as
   *     malformed)
   */
  static List<PromptScores> decode(JsonNode body, int[] lengths) {
    JsonNode choices = body.path("choices");
    if (!choices.isArray() || choices.size() != lengths.length) {
      throw new IllegalStateException("expected " + lengths.length + " choices, got " + (choices.isArray() ? choices.size() : "none"));
    }
    PromptScores[] out = new PromptScores[lengths.length];
    for (JsonNode ch : choices) {
      int i = ch.path("index").asInt(-1);
      if (i < 0 || i >= out.length || out[i] != null) {
        throw new IllegalStateException("bad or repeated choice index " + ch.path("index"));
      }
      out[i] = one(ch.path("logprobs"), lengths[i], i);
    }
    return List.of(out);
  }

  private static PromptScores one(JsonNode lp, int length, int i) {
    JsonNode tokens = lp.path("tokens");
    JsonNode values = lp.path("token_logprobs");
    JsonNode top = lp.path("top_logprobs");
    if (!tokens.isArray() || !values.isArray() || tokens.size() != values.size() || tokens.isEmpty()) {
      throw new IllegalStateException("choice " + i + " has no prompt log-probabilities (does the server support echo with logprobs?)");
    }
    if (length >= 0 && tokens.size() != length) {
      throw new IllegalStateException("choice " + i + " scores " + tokens.size() + " tokens, the prompt has " + length);
    }
    int n = tokens.size();
    List<String> toks = new ArrayList<>(n);
    double[] lps = new double[n];
    List<Map<String, Double>> tops = new ArrayList<>(n);
    for (int t = 0; t < n; t++) {
      toks.add(tokens.get(t).asText());
      JsonNode v = values.get(t);
      if (t > 0 && !v.isNumber()) {
        throw new IllegalStateException("choice " + i + " token_logprobs[" + t + "] is " + v);
      }
      lps[t] = t == 0 ? Double.NaN : v.asDouble();
      JsonNode m = top.path(t);
      if (t == 0 || !m.isObject()) {
        tops.add(null);
        continue;
      }
      Map<String, Double> map = new LinkedHashMap<>();
      m.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asDouble()));
      tops.add(Collections.unmodifiableMap(map));
    }
    return new PromptScores(List.copyOf(toks), lps, Collections.unmodifiableList(tops));
  }
}
