package dev.stepwise.api.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prompt scoring on {@code /v1/completions} ({@code echo}, {@code logprobs}, {@code max_tokens:
 * 0}, token-id prompts) over real HTTP against a real tiny GPT-2, from plain JSON and from {@code
 * curl} as a separate process: every prompt token's log-probability equals the in-process value
 * ({@link ReferenceLogprobs}, the KV-cache decoding path) to 1e-5, the alternatives are the
 * model's most likely tokens, and the 400 errors name the field.
 */
class PromptScoringTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final String KEY = "sk-score";
  static TinyServing tiny;
  static OpenAiServer server;
  static int[][] prompts;
  static ReferenceLogprobs[] refs;

  @BeforeAll
  static void start() {
    tiny = new TinyServing(11);
    prompts = new int[][] {
      tiny.tokenizer.encode("12+7=19\nso the answer is 19"),
      tiny.tokenizer.encode("hello world"),
      {5},
      {0, 1, 2, 98, 40},
    };
    refs = new ReferenceLogprobs[prompts.length];
    for (int i = 0; i < prompts.length; i++) {
      refs[i] = new ReferenceLogprobs(tiny.model, prompts[i]);
    }
    server = tiny.serve(ServerConfig.local(TinyServing.MODEL).withApiKeyEnv("UNUSED"), KEY);
  }

  @AfterAll
  static void stop() {
    server.close();
    tiny.close();
  }

  static HttpResponse<String> post(String body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/completions")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  static ArrayNode ids(int[]... ps) {
    ArrayNode a = JSON.createArrayNode();
    for (int[] p : ps) {
      ArrayNode row = a.addArray();
      for (int id : p) {
        row.add(id);
      }
    }
    return a;
  }

  static ObjectNode scoring(JsonNode prompt, int k) {
    ObjectNode b = JSON.createObjectNode().put("model", TinyServing.MODEL);
    b.set("prompt", prompt);
    return b.put("echo", true).put("logprobs", k).put("max_tokens", 0);
  }

  /** Checks one choice's prompt part against the in-process values. */
  static void assertScores(JsonNode lp, int[] ids, ReferenceLogprobs ref, int k) {
    assertEquals(ids.length, lp.path("tokens").size(), lp.toString());
    assertTrue(lp.path("token_logprobs").get(0).isNull(), "the first token has no context: " + lp);
    assertTrue(lp.path("top_logprobs").get(0).isNull(), lp.toString());
    int offset = 0;
    for (int t = 0; t < ids.length; t++) {
      String tok = tiny.tokenizer.decode(new int[] {ids[t]});
      assertEquals(tok, lp.path("tokens").get(t).asText(), "token " + t);
      assertEquals(offset, lp.path("text_offset").get(t).asInt(), "offset " + t);
      offset += tok.length(); // pad and eos decode to nothing
      if (t == 0) {
        continue;
      }
      assertEquals(ref.logprobs[t], lp.path("token_logprobs").get(t).asDouble(), 1e-5, "token " + t);
      JsonNode top = lp.path("top_logprobs").get(t);
      assertEquals(ref.logprobs[t], top.path(tok).asDouble(Double.NaN), 1e-5, "own token in top_logprobs " + t);
      // the position's own token first, then the k most likely; a string already present (pad
      // and eos both decode to "") keeps its first value, as OpenAI's string-keyed map must
      java.util.Map<String, Double> expected = new java.util.LinkedHashMap<>();
      expected.put(tok, ref.logprobs[t]);
      for (int id : ref.top(t, k)) {
        expected.putIfAbsent(tiny.tokenizer.decode(new int[] {id}), ref.rows[t][id]);
      }
      assertEquals(expected.size(), top.size(), "entries at " + t + ": " + top);
      for (var e : expected.entrySet()) {
        assertEquals(e.getValue(), top.path(e.getKey()).asDouble(Double.NaN), 1e-5, "'" + e.getKey() + "' at " + t + ": " + top);
      }
    }
  }

  @Test
  void tokenIdPromptsAreScoredAsInProcess() throws Exception {
    HttpResponse<String> r = post(scoring(ids(prompts), 3).toString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    JsonNode choices = body.path("choices");
    assertEquals(prompts.length, choices.size());
    int total = 0;
    for (int i = 0; i < prompts.length; i++) {
      JsonNode ch = choices.get(i);
      assertEquals(i, ch.path("index").asInt());
      assertEquals(tiny.tokenizer.decode(prompts[i]), ch.path("text").asText());
      assertEquals("length", ch.path("finish_reason").asText());
      assertScores(ch.path("logprobs"), prompts[i], refs[i], 3);
      total += prompts[i].length;
    }
    assertEquals(total, body.path("usage").path("prompt_tokens").asInt());
    assertEquals(0, body.path("usage").path("completion_tokens").asInt());
  }

  @Test
  void oneTokenListTextPromptsAndLogprobsZero() throws Exception {
    // prompt: [ids] is one prompt; logprobs 0 gives only the position's own token
    JsonNode one = JSON.readTree(post(scoring(ids(prompts[1]).get(0), 0).toString()).body());
    assertEquals(1, one.path("choices").size(), one.toString());
    assertScores(one.path("choices").get(0).path("logprobs"), prompts[1], refs[1], 0);
    // a text prompt is tokenized by the server and scored the same way
    ObjectNode text = scoring(JSON.getNodeFactory().textNode("hello world"), 2);
    JsonNode t = JSON.readTree(post(text.toString()).body());
    assertEquals("hello world", t.path("choices").get(0).path("text").asText());
    assertScores(t.path("choices").get(0).path("logprobs"), prompts[1], refs[1], 2);
  }

  @Test
  void echoWithGenerationPutsThePromptFirst() throws Exception {
    String plain = "{\"prompt\":\"hello world\",\"max_tokens\":6,\"temperature\":0,\"ignore_eos\":true,\"logprobs\":1}";
    JsonNode gen = JSON.readTree(post(plain).body()).path("choices").get(0);
    ObjectNode echo = (ObjectNode) JSON.readTree(plain);
    echo.put("echo", true).put("logprobs", 2);
    JsonNode both = JSON.readTree(post(echo.toString()).body());
    JsonNode ch = both.path("choices").get(0);
    assertEquals("hello world" + gen.path("text").asText(), ch.path("text").asText());
    JsonNode lp = ch.path("logprobs");
    int p = prompts[1].length;
    assertEquals(p + 6, lp.path("tokens").size());
    for (int t = 0; t < 6; t++) {
      assertEquals(gen.path("logprobs").path("tokens").get(t).asText(), lp.path("tokens").get(p + t).asText());
      assertEquals(gen.path("logprobs").path("token_logprobs").get(t).asDouble(), lp.path("token_logprobs").get(p + t).asDouble(), 1e-6);
      assertEquals(p + t, lp.path("text_offset").get(p + t).asInt());
    }
    for (int t = 1; t < p; t++) {
      assertEquals(refs[1].logprobs[t], lp.path("token_logprobs").get(t).asDouble(), 1e-5);
    }
    // the generated tokens' alternatives: the in-process greedy completion, scored in process
    var params = dev.stepwise.generate.SamplingParams.defaults().withTemperature(0).withMaxTokens(6).withIgnoreEos(true);
    int[] completion = tiny.sampler().generate(List.of("hello world"), params).get(0).get(0).tokenIds();
    int[] seq = java.util.Arrays.copyOf(prompts[1], p + completion.length);
    System.arraycopy(completion, 0, seq, p, completion.length);
    ReferenceLogprobs ref = new ReferenceLogprobs(tiny.model, seq);
    for (int t = p; t < seq.length; t++) {
      String own = tiny.tokenizer.decode(new int[] {seq[t]});
      assertEquals(own, lp.path("tokens").get(t).asText());
      JsonNode top = lp.path("top_logprobs").get(t);
      assertEquals(ref.logprobs[t], top.path(own).asDouble(Double.NaN), 1e-5, "own token at " + t + ": " + top);
      for (int id : ref.top(t, 2)) {
        String a = tiny.tokenizer.decode(new int[] {id});
        if (!a.equals(own)) {
          assertEquals(ref.rows[t][id], top.path(a).asDouble(Double.NaN), 1e-5, "'" + a + "' at " + t + ": " + top);
        }
      }
    }
    assertEquals(6, both.path("usage").path("completion_tokens").asInt());
    assertEquals(p, both.path("usage").path("prompt_tokens").asInt());
    assertEquals("length", ch.path("finish_reason").asText());
  }

  @Test
  void curlGetsTheSameNumbers() throws Exception {
    Path curl = Path.of("/usr/bin/curl");
    Assumptions.assumeTrue(Files.isExecutable(curl), "no /usr/bin/curl");
    Process proc = new ProcessBuilder(curl.toString(), "-sS", "--max-time", "30", server.baseUrl() + "/completions",
        "-H", "Authorization: Bearer " + KEY, "-H", "Content-Type: application/json",
        "-d", scoring(ids(prompts[0], prompts[3]), 2).toString()).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, proc.waitFor(), out);
    JsonNode choices = JSON.readTree(out).path("choices");
    assertEquals(2, choices.size(), out);
    assertScores(choices.get(0).path("logprobs"), prompts[0], refs[0], 2);
    assertScores(choices.get(1).path("logprobs"), prompts[3], refs[3], 2);
  }

  static JsonNode error(String body) throws Exception {
    HttpResponse<String> r = post(body);
    assertEquals(400, r.statusCode(), r.body());
    JsonNode e = JSON.readTree(r.body()).path("error");
    assertEquals("invalid_request_error", e.path("type").asText(), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
    return e;
  }

  @Test
  void badScoringRequestsAre400NamingTheField() throws Exception {
    assertEquals("max_tokens", error("{\"prompt\":[1,2,3],\"max_tokens\":0}").path("param").asText());
    assertEquals("max_tokens", error("{\"prompt\":\"ab\",\"max_tokens\":0,\"echo\":false}").path("param").asText());
    JsonNode range = error("{\"prompt\":[[1,2],[3,99]],\"echo\":true,\"max_tokens\":0}");
    assertEquals("prompt", range.path("param").asText());
    assertTrue(range.path("message").asText().contains("prompt[1][1]"), range.toString());
    assertEquals("prompt", error("{\"prompt\":[-1],\"echo\":true,\"max_tokens\":0}").path("param").asText());
    assertEquals("prompt", error("{\"prompt\":[1.5],\"echo\":true,\"max_tokens\":0}").path("param").asText());
    assertEquals("prompt", error("{\"prompt\":[[]],\"echo\":true,\"max_tokens\":0}").path("param").asText());
    assertEquals("prompt", error("{\"prompt\":[],\"echo\":true,\"max_tokens\":0}").path("param").asText());
    assertEquals("prompt", error("{\"prompt\":\"\",\"echo\":true,\"max_tokens\":0,\"logprobs\":1}").path("param").asText());
    assertEquals("prompt", error("{\"prompt\":[\"ab\",\"\"],\"echo\":true,\"max_tokens\":0}").path("param").asText());
    assertEquals("prompt", error("{\"prompt\":[[1],\"a\"],\"echo\":true,\"max_tokens\":0}").path("param").asText());
    assertEquals("logprobs", error("{\"prompt\":[1,2],\"echo\":true,\"max_tokens\":0,\"logprobs\":6}").path("param").asText());
    assertEquals("echo", error("{\"prompt\":[1,2],\"echo\":true,\"stream\":true}").path("param").asText());
    // longer than the context (256 positions)
    int[] tooLong = new int[300];
    java.util.Arrays.fill(tooLong, 7);
    assertEquals("prompt", error(scoring(ids(tooLong), 1).toString()).path("param").asText());
    // token ids that decode to nothing (pad, eos) are still a prompt to score
    assertEquals(200, post(scoring(ids(new int[] {1, 0}), 1).toString()).statusCode());
    // a good request still works afterwards
    assertEquals(200, post(scoring(ids(prompts[2]), 1).toString()).statusCode());
  }

  @Test
  void scoringOnlyRequestsGetNChoicesPerPrompt() throws Exception {
    ObjectNode b = scoring(ids(prompts[1], prompts[3]), 1).put("n", 2);
    JsonNode choices = JSON.readTree(post(b.toString()).body()).path("choices");
    assertEquals(4, choices.size());
    assertEquals(List.of(0, 1, 2, 3), List.of(choices.get(0).path("index").asInt(), choices.get(1).path("index").asInt(),
        choices.get(2).path("index").asInt(), choices.get(3).path("index").asInt()));
    assertScores(choices.get(1).path("logprobs"), prompts[1], refs[1], 1);
    assertScores(choices.get(2).path("logprobs"), prompts[3], refs[3], 1);
  }
}
