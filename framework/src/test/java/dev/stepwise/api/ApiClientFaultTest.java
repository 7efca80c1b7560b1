package dev.stepwise.api;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepwise.api.FaultyServer.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiClient} against a real loopback server that misbehaves on purpose: 429 with
 * Retry-After, 500, dropped connections, half-written JSON, wrong-shaped JSON, stalls, 400;
 * plus round-robin, the concurrency bound and key masking. Timeouts are short so the class
 * runs in seconds.
 */
class ApiClientFaultTest {
  static JsonNode body(String prompt) {
    return JsonNodeFactory.instance.objectNode().put("model", "m").put("prompt", prompt);
  }

  static String text(JsonNode n) {
    JsonNode t = n.path("choices").path(0).path("text");
    if (!t.isTextual()) {
      throw new IllegalArgumentException("no choices[0].text");
    }
    return t.asText();
  }

  static ClientConfig fast(String url) {
    return ClientConfig.of(url).withRetries(0.4, 3, 0.01, 0.05);
  }

  static String call(ApiClient c, String prompt) throws Exception {
    return c.post("/completions", body(prompt), ApiClientFaultTest::text).join();
  }

  @Test
  void everyRetryableFaultIsRetriedUntilItSucceeds() throws Exception {
    Map<String, Fault> firstFault = Map.of("p500", Fault.ERROR_500, "pdrop", Fault.DROP, "phalf", Fault.HALF_JSON,
        "pshape", Fault.WRONG_SHAPE, "pstall", Fault.STALL);
    try (FaultyServer s = new FaultyServer((p, a) -> a == 1 ? firstFault.get(p) : Fault.OK);
        ApiClient c = new ApiClient(fast(s.baseUrl()), Map.of())) {
      s.stallMillis = 5_000;
      long t0 = System.nanoTime();
      for (String p : firstFault.keySet()) {
        assertEquals("echo:" + p, call(c, p));
        assertEquals(2, s.attempts(p), p);
      }
      assertTrue((System.nanoTime() - t0) / 1e9 < 3, "the stall should be cut by the 0.4 s timeout");
      assertEquals(5L, c.stats().get("api/retries"));
    }
  }

  @Test
  void retryAfterIsHonoured() throws Exception {
    try (FaultyServer s = new FaultyServer((p, a) -> a == 1 ? Fault.RATE_LIMIT : Fault.OK);
        ApiClient c = new ApiClient(fast(s.baseUrl()), Map.of())) {
      assertEquals("echo:x", call(c, "x"));
      List<Long> t = s.arrivals.get("x");
      assertTrue(t.get(1) - t.get(0) >= 950, "retried after " + (t.get(1) - t.get(0)) + " ms, Retry-After said 1 s");
    }
  }

  @Test
  void persistentFailuresAndClientErrorsFailWithTheReason() throws Exception {
    try (FaultyServer s = new FaultyServer((p, a) -> p.equals("bad") ? Fault.BAD_REQUEST : Fault.ERROR_500);
        ApiClient c = new ApiClient(fast(s.baseUrl()), Map.of())) {
      var e = assertThrows(CompletionException.class, () -> call(c, "always500"));
      ApiException api = (ApiException) e.getCause();
      assertEquals(500, api.status());
      assertEquals(4, api.attempts());
      assertTrue(api.getMessage().startsWith("HTTP 500: boom"), api.getMessage());
      ApiException bad = (ApiException) assertThrows(CompletionException.class, () -> call(c, "bad")).getCause();
      assertEquals(1, bad.attempts());
      assertEquals(1, s.attempts("bad"));
      assertTrue(bad.getMessage().contains("bad prompt"), bad.getMessage());
    }
  }

  @Test
  void theKeyIsSentButNeverAppearsInErrors() throws Exception {
    try (FaultyServer s = new FaultyServer((p, a) -> Fault.ERROR_500);
        ApiClient c = new ApiClient(fast(s.baseUrl()).withApiKeyEnv("MY_KEY").withRetries(0.4, 0, 0, 0), Map.of("MY_KEY", "sk-secret-123"))) {
      ApiException e = (ApiException) assertThrows(CompletionException.class, () -> call(c, "x")).getCause();
      assertEquals("Bearer sk-secret-123", s.authorizations.get(0));
      assertFalse(e.getMessage().contains("sk-secret-123"), e.getMessage());
      assertTrue(e.getMessage().contains("***"), e.getMessage());
      assertFalse(c.toString().contains("sk-secret"));
    }
    var missing = assertThrows(dev.stepwise.config.UserError.class,
        () -> new ApiClient(ClientConfig.of("http://127.0.0.1:1/v1").withApiKeyEnv("NOT_SET_ANYWHERE"), Map.of()));
    assertTrue(missing.getMessage().contains("NOT_SET_ANYWHERE"));
  }

  @Test
  void roundRobinSpreadsRequestsOverBaseUrls() throws Exception {
    try (FaultyServer a = new FaultyServer((p, n) -> Fault.OK);
        FaultyServer b = new FaultyServer((p, n) -> Fault.OK)) {
      ClientConfig cfg = new ClientConfig(List.of(a.baseUrl(), b.baseUrl() + "/"), null, 4, 2, 0, 0, 0);
      try (ApiClient c = new ApiClient(cfg, Map.of())) {
        for (int i = 0; i < 10; i++) {
          call(c, "r" + i);
        }
      }
      assertEquals(5, a.totalRequests());
      assertEquals(5, b.totalRequests());
    }
  }

  @Test
  void concurrencyIsBounded() throws Exception {
    try (FaultyServer s = new FaultyServer((p, n) -> Fault.OK);
        ApiClient c = new ApiClient(fast(s.baseUrl()).withConcurrency(4).withRetries(5, 0, 0, 0), Map.of())) {
      s.answerDelayMillis = 60;
      List<CompletableFuture<String>> all = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        all.add(c.post("/completions", body("c" + i), ApiClientFaultTest::text));
      }
      all.forEach(CompletableFuture::join);
      assertTrue(s.maxInFlight.get() <= 4, "max in flight " + s.maxInFlight.get());
      assertTrue(s.maxInFlight.get() >= 2, "requests should overlap, max in flight " + s.maxInFlight.get());
    }
  }
}
