package dev.stepwise.api.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.generate.Completion;
import dev.stepwise.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders sampler output in OpenAI's response shapes: {@code text_completion} and {@code
 * chat.completion} objects, and the chunks of their server-sent-event streams. Choice {@code
 * index} is {@code promptIndex * n + sampleIndex} (OpenAI's order for several prompts).
 * Log-probabilities are those of the chosen tokens under the raw model distribution ({@link
 * Completion#tokenLogprobs()}, nats); alternatives are not computed: {@code top_logprobs} holds
 * only the chosen token (completions) or is empty (chat).
 */
final class CompletionResponses {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CompletionResponses() {}

  /** @return the full (non-streamed) response */
  static ObjectNode full(String id, long created, String model, CompletionRequest req, List<List<Completion>> out, Tokenizer tok, int promptTokens) {
    ObjectNode root = header(id, created, model, req.chat() ? "chat.completion" : "text_completion");
    ArrayNode choices = root.putArray("choices");
    int completionTokens = 0;
    for (Choice c : choices(out)) {
      ObjectNode ch = choices.addObject();
      ch.put("index", c.index);
      if (req.chat()) {
        ObjectNode msg = ch.putObject("message");
        msg.put("role", "assistant");
        msg.put("content", c.completion.text());
        msg.putNull("refusal");
      } else {
        ch.put("text", c.completion.text());
      }
      logprobs(ch, req, c.completion, tok);
      ch.put("finish_reason", c.completion.finishReason());
      completionTokens += c.completion.tokenIds().length;
    }
    root.set("usage", usage(promptTokens, completionTokens));
    return root;
  }

  /** @return the stream's chunks: one content chunk and one finish chunk per choice, then usage when asked */
  static List<ObjectNode> chunks(String id, long created, String model, CompletionRequest req, List<List<Completion>> out, Tokenizer tok, int promptTokens) {
    String object = req.chat() ? "chat.completion.chunk" : "text_completion";
    List<ObjectNode> chunks = new ArrayList<>();
    int completionTokens = 0;
    for (Choice c : choices(out)) {
      ObjectNode content = header(id, created, model, object);
      ObjectNode ch = content.putArray("choices").addObject();
      ch.put("index", c.index);
      if (req.chat()) {
        ch.putObject("delta").put("role", "assistant").put("content", c.completion.text());
      } else {
        ch.put("text", c.completion.text());
      }
      logprobs(ch, req, c.completion, tok);
      ch.putNull("finish_reason");
      chunks.add(content);
      ObjectNode fin = header(id, created, model, object);
      ObjectNode fc = fin.putArray("choices").addObject();
      fc.put("index", c.index);
      if (req.chat()) {
        fc.putObject("delta");
      } else {
        fc.put("text", "");
      }
      fc.putNull("logprobs");
      fc.put("finish_reason", c.completion.finishReason());
      chunks.add(fin);
      completionTokens += c.completion.tokenIds().length;
    }
    if (req.includeUsage()) {
      ObjectNode u = header(id, created, model, object);
      u.putArray("choices");
      u.set("usage", usage(promptTokens, completionTokens));
      chunks.add(u);
    }
    return chunks;
  }

  private record Choice(int index, Completion completion) {}

  private static List<Choice> choices(List<List<Completion>> out) {
    List<Choice> all = new ArrayList<>();
    int i = 0;
    for (List<Completion> perPrompt : out) {
      for (Completion c : perPrompt) {
        all.add(new Choice(i++, c));
      }
    }
    return all;
  }

  private static ObjectNode header(String id, long created, String model, String object) {
    ObjectNode root = F.objectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", created);
    root.put("model", model);
    return root;
  }

  private static ObjectNode usage(int prompt, int completion) {
    ObjectNode u = F.objectNode();
    u.put("prompt_tokens", prompt);
    u.put("completion_tokens", completion);
    u.put("total_tokens", prompt + completion);
    return u;
  }

  private static void logprobs(ObjectNode choice, CompletionRequest req, Completion c, Tokenizer tok) {
    if (!req.logprobs()) {
      choice.putNull("logprobs");
      return;
    }
    ObjectNode lp = choice.putObject("logprobs");
    if (req.chat()) {
      ArrayNode content = lp.putArray("content");
      for (int t = 0; t < c.tokenIds().length; t++) {
        String s = tok.decode(new int[] {c.tokenIds()[t]});
        ObjectNode e = content.addObject();
        e.put("token", s);
        e.put("logprob", c.tokenLogprobs()[t]);
        ArrayNode bytes = e.putArray("bytes");
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          bytes.add(b & 0xff);
        }
        e.putArray("top_logprobs");
      }
      lp.putArray("refusal");
    } else {
      ArrayNode tokens = lp.putArray("tokens");
      ArrayNode values = lp.putArray("token_logprobs");
      ArrayNode offsets = lp.putArray("text_offset");
      ArrayNode top = lp.putArray("top_logprobs");
      int offset = 0;
      for (int t = 0; t < c.tokenIds().length; t++) {
        String s = tok.decode(new int[] {c.tokenIds()[t]});
        tokens.add(s);
        values.add(c.tokenLogprobs()[t]);
        offsets.add(offset);
        offset += s.length();
        top.addObject().put(s, c.tokenLogprobs()[t]);
      }
    }
  }
}
