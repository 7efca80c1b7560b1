package dev.stepwise.api.server;

import static org.junit.jupiter.api.Assertions.*;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) against the Stepwise server
 * serving a real tiny GPT-2: it lists models, completes (n, seed, logprobs, stop), streams, and
 * chats, and the greedy stream equals the greedy non-streamed answer.
 */
class OpenAiSdkTest {
  static TinyServing tiny;
  static OpenAiServer server;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    tiny = new TinyServing(3);
    server = tiny.serve(ServerConfig.local(TinyServing.MODEL).withApiKeyEnv("UNUSED"), "sk-test-key");
    client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test-key").maxRetries(0).timeout(java.time.Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    tiny.close();
  }

  static CompletionCreateParams.Builder params(String prompt) {
    return CompletionCreateParams.builder().model(TinyServing.MODEL).prompt(prompt).maxTokens(12L);
  }

  @Test
  void listsTheServedModel() {
    List<Model> models = client.models().list().data();
    assertEquals(List.of(TinyServing.MODEL), models.stream().map(Model::id).toList());
  }

  @Test
  void completesWithNSamplesLogprobsAndUsage() {
    Completion c = client.completions().create(params("12+7=").n(3L).seed(5L).temperature(1.0).logprobs(1L).build());
    assertEquals(3, c.choices().size());
    long tokens = 0;
    for (CompletionChoice ch : c.choices()) {
      var lp = ch.logprobs().orElseThrow();
      List<Double> values = lp.tokenLogprobs().orElseThrow();
      assertFalse(values.isEmpty());
      assertTrue(values.size() <= 12);
      values.forEach(v -> assertTrue(v <= 0, "log-probability " + v + " > 0"));
      assertEquals(ch.text(), String.join("", lp.tokens().orElseThrow()).substring(0, ch.text().length()));
      tokens += values.size();
    }
    assertEquals(List.of(0L, 1L, 2L), c.choices().stream().map(CompletionChoice::index).toList());
    assertEquals(tokens, c.usage().orElseThrow().completionTokens());
    assertEquals(5, c.usage().orElseThrow().promptTokens());
    // the same seed alone on the server gives the same samples
    Completion again = client.completions().create(params("12+7=").n(3L).seed(5L).temperature(1.0).build());
    assertEquals(c.choices().stream().map(CompletionChoice::text).toList(), again.choices().stream().map(CompletionChoice::text).toList());
  }

  @Test
  void greedyStreamEqualsTheNonStreamedAnswer() {
    CompletionCreateParams p = params("hello ").temperature(0.0).n(2L).build();
    Completion whole = client.completions().create(p);
    TreeMap<Long, StringBuilder> streamed = new TreeMap<>();
    TreeMap<Long, String> finish = new TreeMap<>();
    try (StreamResponse<Completion> s = client.completions().createStreaming(p)) {
      s.stream().forEach(chunk -> chunk.choices().forEach(ch -> {
        streamed.computeIfAbsent(ch.index(), k -> new StringBuilder()).append(ch.text());
        ch._finishReason().asKnown().ifPresent(f -> finish.put(ch.index(), f.asString()));
      }));
    }
    assertEquals(2, streamed.size());
    for (CompletionChoice ch : whole.choices()) {
      assertEquals(ch.text(), streamed.get(ch.index()).toString());
      assertEquals(ch.finishReason().asString(), finish.get(ch.index()));
    }
  }

  @Test
  void chatUsesTheUserMessageAsThePromptAndStreams() {
    Completion plain = client.completions().create(params("2+2=").temperature(0.0).build());
    ChatCompletionCreateParams chat =
        ChatCompletionCreateParams.builder().model(TinyServing.MODEL).addUserMessage("2+2=").maxCompletionTokens(12L).temperature(0.0).build();
    ChatCompletion c = client.chat().completions().create(chat);
    assertEquals(plain.choices().get(0).text(), c.choices().get(0).message().content().orElseThrow());
    StringBuilder sb = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat)) {
      s.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content().ifPresent(sb::append)));
    }
    assertEquals(plain.choices().get(0).text(), sb.toString());
  }

  @Test
  void wrongKeyIsRejectedWith401() {
    OpenAIClient bad = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-wrong").maxRetries(0).timeout(java.time.Duration.ofSeconds(10)).build();
    try {
      var e = assertThrows(com.openai.errors.UnauthorizedException.class, () -> bad.models().list());
      assertEquals(401, e.statusCode());
    } finally {
      bad.close();
    }
  }
}
