package dev.stepwise.api.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.PromptLogprobs;
import dev.stepwise.model.Tokenizer;
import java.util.List;

/**
 * Renders a {@code /v1/completions} answer with {@code echo: true}, as vLLM's OpenAI-compatible
 * server does (its {@code request_output_to_completion_response} and {@code
 * _create_completion_logprobs}):
 *
 * <ul>
 *   <li>each choice's {@code text} is the prompt's text followed by the completion (only the
 *       prompt when {@code max_tokens} is 0; {@code finish_reason} is then {@code "length"});
 *   <li>{@code logprobs} (when asked) covers the prompt's tokens, then the completion's: {@code
 *       tokens} (each token decoded alone), {@code token_logprobs} (nats; {@code null} for the
 *       first prompt token, which has no context), {@code top_logprobs} (per position an object
 *       token → log-prob holding the position's own token first, then the {@code logprobs} most
 *       likely tokens, so up to k + 1 entries as in vLLM; {@code null} for the first prompt
 *       token; for generated tokens the alternatives come from scoring prompt + completion
 *       afterwards, their own value is the sampler's), and {@code text_offset} (characters from
 *       the start of {@code text});
 *   <li>values below -9999 (a token of probability 0) are sent as -9999, as vLLM does, since
 *       JSON has no infinity;
 *   <li>{@code usage.prompt_tokens} counts every prompt's tokens once; {@code completion_tokens}
 *       counts generated tokens only (0 for pure scoring; vLLM counts the one token it
 *       generates and drops).
 * </ul>
 *
 * <p>Choice {@code index} is {@code promptIndex * n + sampleIndex}; a scoring-only request still
 * answers {@code n} (identical) choices per prompt.
 */
final class EchoResponses {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final double FLOOR = -9999.0;

  private EchoResponses() {}

  /**
   * @param out the batcher's result for {@code req} (prompt scores present when {@code logprobs} was asked)
   * @param promptIds the prompts' token ids, as scored
   * @return the {@code text_completion} object
   */
  static ObjectNode full(String id, long created, String model, CompletionRequest req, GenerationBatcher.Result out, List<int[]> promptIds, Tokenizer tok) {
    ObjectNode root = F.objectNode();
    root.put("id", id);
    root.put("object", "text_completion");
    root.put("created", created);
    root.put("model", model);
    ArrayNode choices = root.putArray("choices");
    int n = req.params().n();
    int promptTokens = 0;
    int completionTokens = 0;
    for (int i = 0; i < req.prompts().size(); i++) {
      PromptLogprobs scored = out.promptLogprobs() == null ? null : out.promptLogprobs().get(i);
      for (int j = 0; j < n; j++) {
        Completion c = req.generate() ? out.completions().get(i).get(j) : null;
        PromptLogprobs seq = c == null || out.sequenceLogprobs() == null ? null : out.sequenceLogprobs().get(i).get(j);
        ObjectNode ch = choices.addObject();
        ch.put("index", i * n + j);
        ch.put("text", req.prompts().get(i) + (c == null ? "" : c.text()));
        if (req.logprobs() && scored != null) {
          logprobs(ch.putObject("logprobs"), scored, c, seq, tok);
        } else {
          ch.putNull("logprobs");
        }
        ch.put("finish_reason", c == null ? Completion.LENGTH : c.finishReason());
        completionTokens += c == null ? 0 : c.tokenIds().length;
      }
    }
    for (int[] ids : promptIds) {
      promptTokens += ids.length;
    }
    ObjectNode u = root.putObject("usage");
    u.put("prompt_tokens", promptTokens);
    u.put("completion_tokens", completionTokens);
    u.put("total_tokens", promptTokens + completionTokens);
    return root;
  }

  private static void logprobs(ObjectNode lp, PromptLogprobs p, Completion c, PromptLogprobs seq, Tokenizer tok) {
    ArrayNode tokens = lp.putArray("tokens");
    ArrayNode values = lp.putArray("token_logprobs");
    ArrayNode top = lp.putArray("top_logprobs");
    ArrayNode offsets = lp.putArray("text_offset");
    int offset = 0;
    for (int t = 0; t < p.tokenIds().length; t++) {
      String s = tok.decode(new int[] {p.tokenIds()[t]});
      tokens.add(s);
      offsets.add(offset);
      offset += s.length();
      if (t == 0) {
        values.addNull();
        top.addNull();
        continue;
      }
      values.add(floor(p.logprobs()[t]));
      alternatives(top.addObject(), s, p.logprobs()[t], p, t, tok);
    }
    int start = p.tokenIds().length;
    if (c == null) {
      return;
    }
    for (int t = 0; t < c.tokenIds().length; t++) {
      String s = tok.decode(new int[] {c.tokenIds()[t]});
      tokens.add(s);
      offsets.add(offset);
      offset += s.length();
      values.add(floor(c.tokenLogprobs()[t]));
      if (seq == null) {
        top.addObject().put(s, floor(c.tokenLogprobs()[t]));
      } else {
        alternatives(top.addObject(), s, c.tokenLogprobs()[t], seq, start + t, tok);
      }
    }
  }

  /** The position's own token first, then its alternatives (a string already present keeps its value). */
  private static void alternatives(ObjectNode alts, String own, float ownLogprob, PromptLogprobs p, int t, Tokenizer tok) {
    alts.put(own, floor(ownLogprob));
    for (int k = 0; k < p.topIds()[t].length; k++) {
      String a = tok.decode(new int[] {p.topIds()[t][k]});
      if (!alts.has(a)) {
        alts.put(a, floor(p.topLogprobs()[t][k]));
      }
    }
  }

  private static double floor(float v) {
    return Math.max(v, FLOOR);
  }
}
