package dev.stepwise.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.api.server.OpenAiServer;
import dev.stepwise.api.server.ReferenceLogprobs;
import dev.stepwise.api.server.ServerConfig;
import dev.stepwise.api.server.TinyServing;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiClient#scorePrompts} and {@link ApiClient#scoreTexts} against the real Stepwise server
 * on loopback with a real tiny GPT-2: the log-probabilities equal the in-process ones ({@link
 * ReferenceLogprobs}) to 1e-5; a replica answering 500, or 200 without prompt log-probs, is
 * retried on the next base URL; a 400 fails at once.
 */
class ApiClientScoringTest {
  static TinyServing tiny;
  static OpenAiServer server;
  static int[][] prompts;
  static ReferenceLogprobs[] refs;

  @BeforeAll
  static void start() {
    tiny = new TinyServing(17);
    prompts = new int[][] {tiny.tokenizer.encode("5+6=11\nanswer: 11"), tiny.tokenizer.encode("xy"), {42}};
    refs = new ReferenceLogprobs[prompts.length];
    for (int i = 0; i < prompts.length; i++) {
      refs[i] = new ReferenceLogprobs(tiny.model, prompts[i]);
    }
    server = tiny.serve(ServerConfig.local(TinyServing.MODEL), null);
  }

  @AfterAll
  static void stop() {
    server.close();
    tiny.close();
  }

  static void assertMatches(PromptScores s, int i, int k) {
    int[] ids = prompts[i];
    assertEquals(ids.length, s.tokens().size());
    assertTrue(Double.isNaN(s.logprobs()[0]));
    assertNull(s.topLogprobs().get(0));
    double total = 0;
    for (int t = 1; t < ids.length; t++) {
      assertEquals(tiny.tokenizer.decode(new int[] {ids[t]}), s.tokens().get(t));
      assertEquals(refs[i].logprobs[t], s.logprobs()[t], 1e-5, "prompt " + i + " token " + t);
      Map<String, Double> top = s.topLogprobs().get(t);
      for (int id : refs[i].top(t, k)) {
        assertEquals(refs[i].rows[t][id], top.get(tiny.tokenizer.decode(new int[] {id})), 1e-5);
      }
      total += refs[i].logprobs[t];
    }
    assertEquals(total, s.total(), 1e-4);
  }

  @Test
  void tokenIdsAndTextsAreScoredAsInProcess() throws Exception {
    try (ApiClient c = new ApiClient(ClientConfig.of(server.baseUrl()), Map.of())) {
      List<PromptScores> byIds = c.scorePrompts(TinyServing.MODEL, List.of(prompts), 2).join();
      assertEquals(3, byIds.size());
      for (int i = 0; i < 3; i++) {
        assertMatches(byIds.get(i), i, 2);
      }
      List<PromptScores> byText = c.scoreTexts(null, List.of("5+6=11\nanswer: 11", "xy"), 1).join();
      assertMatches(byText.get(0), 0, 1);
      assertMatches(byText.get(1), 1, 1);
    }
  }

  @Test
  void aFailingOrNonScoringReplicaIsRetriedOnTheNext() throws Exception {
    for (FaultyServer.Fault fault : List.of(FaultyServer.Fault.ERROR_500, FaultyServer.Fault.OK)) {
      // OK: a plain completion without prompt log-probs, which the decoder rejects as malformed
      try (FaultyServer bad = new FaultyServer((p, n) -> fault);
          ApiClient c = new ApiClient(new ClientConfig(List.of(bad.baseUrl(), server.baseUrl()), null, 4, 20, 3, 0.01, 0.05), Map.of())) {
        List<PromptScores> s = c.scorePrompts(TinyServing.MODEL, List.of(prompts[0]), 1).join();
        assertMatches(s.get(0), 0, 1);
        assertEquals(1, bad.totalRequests(), fault.toString());
        assertEquals(1L, c.stats().get("api/retries"), fault.toString());
      }
    }
  }

  @Test
  void anIdOutsideTheVocabularyFailsAtOnceWith400() throws Exception {
    try (ApiClient c = new ApiClient(ClientConfig.of(server.baseUrl()), Map.of())) {
      var e = assertThrows(CompletionException.class, () -> c.scorePrompts(TinyServing.MODEL, List.of(new int[] {1, 5000}), 0).join());
      ApiException a = assertInstanceOf(ApiException.class, e.getCause());
      assertEquals(400, a.status());
      assertEquals(1, a.attempts());
      assertTrue(a.getMessage().contains("prompt[0][1]"), a.getMessage());
    }
  }
}
