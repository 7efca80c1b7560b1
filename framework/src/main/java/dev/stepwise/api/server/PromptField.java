package dev.stepwise.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code prompt} field of {@code /v1/completions} in OpenAI's four forms: a string, an
 * array of strings, an array of token ids (one prompt), or an array of arrays of token ids
 * (several prompts). The form is decided by the first element; a mixed array is a 400.
 *
 * <p>Token ids must be integers in {@code [0, vocab)} and a token-id prompt must hold at least
 * one id (vLLM rejects empty prompts); otherwise the request fails with a 400 whose {@code
 * param} is {@code prompt}. Text prompts are kept as given (an empty string is allowed; the
 * sampler starts it from EOS, as before).
 *
 * @param texts the prompts' texts: as given, or the decoded ids ({@link Tokenizer#decode}, special
 *     tokens dropped) for token-id prompts
 * @param ids the token ids per prompt for token-id prompts; null for text prompts (the server
 *     encodes those)
 */
record PromptField(List<String> texts, List<int[]> ids) {
  /**
   * @param p the {@code prompt} node (may be null)
   * @param tokenizer decodes token-id prompts; null = token-id prompts are rejected
   * @param vocab ids must be below this
   * @throws OpenAiError 400 naming {@code prompt}
   */
  static PromptField parse(JsonNode p, Tokenizer tokenizer, int vocab) {
    if (p == null || p.isNull()) {
      throw OpenAiError.invalid("prompt", "prompt is required");
    }
    if (p.isTextual()) {
      return new PromptField(List.of(p.asText()), null);
    }
    if (!p.isArray() || p.isEmpty()) {
      throw OpenAiError.invalid("prompt", "prompt must be a string, an array of strings, an array of token ids or an array of arrays of token ids, and not empty");
    }
    JsonNode first = p.get(0);
    if (first.isTextual()) {
      List<String> out = new ArrayList<>();
      for (JsonNode e : p) {
        if (!e.isTextual()) {
          throw OpenAiError.invalid("prompt", "prompt mixes strings with other values; use an array of strings");
        }
        out.add(e.asText());
      }
      return new PromptField(out, null);
    }
    if (tokenizer == null) {
      throw OpenAiError.invalid("prompt", "token-id prompts are not supported on this endpoint");
    }
    List<int[]> ids = new ArrayList<>();
    if (first.isNumber()) {
      ids.add(ids(p, 0, vocab, false));
    } else if (first.isArray()) {
      for (int i = 0; i < p.size(); i++) {
        if (!p.get(i).isArray()) {
          throw OpenAiError.invalid("prompt", "prompt[" + i + "] must be an array of token ids like the other prompts");
        }
        ids.add(ids(p.get(i), i, vocab, true));
      }
    } else {
      throw OpenAiError.invalid("prompt", "prompt must be a string, an array of strings, an array of token ids or an array of arrays of token ids");
    }
    List<String> texts = new ArrayList<>(ids.size());
    for (int[] a : ids) {
      texts.add(tokenizer.decode(a));
    }
    return new PromptField(texts, ids);
  }

  private static int[] ids(JsonNode a, int index, int vocab, boolean nested) {
    String where = nested ? "prompt[" + index + "]" : "prompt";
    if (a.isEmpty()) {
      throw OpenAiError.invalid("prompt", where + " is an empty list of token ids");
    }
    int[] out = new int[a.size()];
    for (int k = 0; k < a.size(); k++) {
      JsonNode v = a.get(k);
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0 || v.asInt() >= vocab) {
        throw OpenAiError.invalid("prompt", where + "[" + k + "] must be a token id in [0, " + vocab + "), got " + v);
      }
      out[k] = v.asInt();
    }
    return out;
  }
}
