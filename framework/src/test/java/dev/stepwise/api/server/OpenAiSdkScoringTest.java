package dev.stepwise.api.server;

import static org.junit.jupiter.api.Assertions.*;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prompt scoring through the official OpenAI Java SDK ({@code com.openai:openai-java}): a
 * token-id prompt with {@code echo}, {@code logprobs} and {@code max_tokens: 0} is answered with
 * the in-process log-probabilities ({@link ReferenceLogprobs}) to 1e-5, and the SDK surfaces the
 * server's 400 for {@code max_tokens: 0} without echo.
 */
class OpenAiSdkScoringTest {
  static TinyServing tiny;
  static OpenAiServer server;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    tiny = new TinyServing(13);
    server = tiny.serve(ServerConfig.local(TinyServing.MODEL), null);
    client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("unused").maxRetries(0)
        .timeout(java.time.Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
    tiny.close();
  }

  static List<Long> longs(int[] ids) {
    return Arrays.stream(ids).asLongStream().boxed().toList();
  }

  @Test
  void tokenArraysAreScoredAsInProcess() {
    int[][] prompts = {tiny.tokenizer.encode("3*4=12\nthe answer is 12"), tiny.tokenizer.encode("ok")};
    ReferenceLogprobs[] refs = {new ReferenceLogprobs(tiny.model, prompts[0]), new ReferenceLogprobs(tiny.model, prompts[1])};
    List<List<Long>> arrays = new ArrayList<>();
    for (int[] p : prompts) {
      arrays.add(longs(p));
    }
    Completion c = client.completions().create(CompletionCreateParams.builder().model(TinyServing.MODEL)
        .prompt(CompletionCreateParams.Prompt.ofArrayOfTokenArrays(arrays)).echo(true).logprobs(2L).maxTokens(0L).build());
    assertEquals(2, c.choices().size());
    for (int i = 0; i < prompts.length; i++) {
      CompletionChoice ch = c.choices().get(i);
      assertEquals(tiny.tokenizer.decode(prompts[i]), ch.text());
      assertEquals(CompletionChoice.FinishReason.LENGTH, ch.finishReason());
      var lp = ch.logprobs().orElseThrow();
      List<Double> values = lp.tokenLogprobs().orElseThrow();
      assertEquals(prompts[i].length, values.size());
      assertNull(values.get(0), "the first token has no context");
      for (int t = 1; t < values.size(); t++) {
        assertEquals(refs[i].logprobs[t], values.get(t), 1e-5, "prompt " + i + " token " + t);
        var top = lp.topLogprobs().orElseThrow().get(t);
        Map<String, JsonValue> alts = top._additionalProperties();
        int best = refs[i].top(t, 1)[0];
        String s = tiny.tokenizer.decode(new int[] {best});
        assertEquals(refs[i].rows[t][best], ((Number) alts.get(s).asNumber().orElseThrow()).doubleValue(), 1e-5);
      }
    }
    assertEquals(prompts[0].length + prompts[1].length, c.usage().orElseThrow().promptTokens());
    assertEquals(0, c.usage().orElseThrow().completionTokens());
  }

  @Test
  void oneTokenArrayPrompt() {
    int[] p = tiny.tokenizer.encode("2+2=4");
    ReferenceLogprobs ref = new ReferenceLogprobs(tiny.model, p);
    Completion c = client.completions().create(CompletionCreateParams.builder().model(TinyServing.MODEL)
        .prompt(CompletionCreateParams.Prompt.ofArrayOfTokens(longs(p))).echo(true).logprobs(0L).maxTokens(0L).build());
    List<Double> values = c.choices().get(0).logprobs().orElseThrow().tokenLogprobs().orElseThrow();
    for (int t = 1; t < p.length; t++) {
      assertEquals(ref.logprobs[t], values.get(t), 1e-5);
    }
  }

  @Test
  void maxTokensZeroWithoutEchoIsABadRequest() {
    var e = assertThrows(BadRequestException.class, () -> client.completions().create(
        CompletionCreateParams.builder().model(TinyServing.MODEL).prompt("ab").maxTokens(0L).build()));
    assertTrue(e.getMessage().contains("max_tokens"), e.getMessage());
  }
}
