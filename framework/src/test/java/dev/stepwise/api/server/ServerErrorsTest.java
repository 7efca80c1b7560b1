package dev.stepwise.api.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's OpenAI-style errors over real HTTP: 401 (missing/wrong key), 400 (bad JSON, bad
 * fields, naming the field), 404 (unknown model or path), 405, 413 (body limit) and 429 (queue
 * full, with Retry-After); no answer ever contains a stack trace.
 */
class ServerErrorsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TinyServing tiny;
  static OpenAiServer server;
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    tiny = new TinyServing(4);
    server = tiny.serve(ServerConfig.local(TinyServing.MODEL).withLimits(2000, 1), "k3y");
  }

  @AfterAll
  static void stop() {
    server.close();
    tiny.close();
  }

  static HttpResponse<String> call(String method, String path, String body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(20));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertFalse(r.body().contains("\tat ") || r.body().contains("Exception"), "stack trace leaked: " + r.body());
    JsonNode e = JSON.readTree(r.body()).path("error");
    assertTrue(e.path("message").isTextual() && !e.path("message").asText().isEmpty(), r.body());
    assertTrue(e.path("type").isTextual(), r.body());
    return e;
  }

  @Test
  void missingOrWrongKeyIs401() throws Exception {
    assertEquals("invalid_api_key", error(call("GET", "/models", null, null), 401).path("code").asText());
    error(call("GET", "/models", null, "nope"), 401);
    error(call("POST", "/completions", "{\"prompt\":\"a\"}", "k3y-but-longer"), 401);
    assertEquals(200, call("GET", "/models", null, "k3y").statusCode());
  }

  @Test
  void invalidRequestsAre400NamingTheField() throws Exception {
    error(call("POST", "/completions", "{\"prompt\": \"a\"", "k3y"), 400);
    assertEquals("temperature", error(call("POST", "/completions", "{\"prompt\":\"a\",\"temperature\":-1}", "k3y"), 400).path("param").asText());
    assertEquals("n", error(call("POST", "/completions", "{\"prompt\":\"a\",\"n\":0}", "k3y"), 400).path("param").asText());
    assertEquals("prompt", error(call("POST", "/completions", "{\"prompt\":[1,\"a\"]}", "k3y"), 400).path("param").asText());
    assertEquals("max_tokens", error(call("POST", "/completions", "{\"prompt\":\"a\",\"max_tokens\":\"x\"}", "k3y"), 400).path("param").asText());
    assertEquals("messages", error(call("POST", "/chat/completions", "{\"messages\":[]}", "k3y"), 400).path("param").asText());
    assertEquals("echo", error(call("POST", "/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"echo\":true}", "k3y"), 400).path("param").asText());
    // a prompt longer than the context (256) is the user's error, not the server's
    error(call("POST", "/completions", "{\"prompt\":\"" + "x".repeat(300) + "\"}", "k3y"), 400);
  }

  @Test
  void unknownModelPathOrMethod() throws Exception {
    assertEquals("model_not_found", error(call("POST", "/completions", "{\"model\":\"gpt-9\",\"prompt\":\"a\"}", "k3y"), 404).path("code").asText());
    error(call("GET", "/embeddings", null, "k3y"), 404);
    error(call("GET", "/completions", null, "k3y"), 405);
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    error(call("POST", "/completions", "{\"prompt\":\"" + "y".repeat(3000) + "\"}", "k3y"), 413);
  }

  @Test
  void aFullQueueIs429WithRetryAfterAndTheRestSucceed() throws Exception {
    String body = "{\"prompt\":\"abc\",\"max_tokens\":100,\"ignore_eos\":true}";
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    // 32 at once: on a loaded machine the client can send 12 so slowly that each is served
    // before the next arrives, and the queue never fills
    for (int i = 0; i < 32; i++) {
      HttpRequest r = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/completions")).header("Authorization", "Bearer k3y")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      all.add(HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    int busy = 0;
    for (var f : all) {
      HttpResponse<String> r = f.join();
      if (r.statusCode() == 429) {
        busy++;
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
        error(r, 429);
      } else {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(100, JSON.readTree(r.body()).path("usage").path("completion_tokens").asInt());
        ok++;
      }
    }
    assertTrue(busy > 0, "expected some 429s with a queue of 1");
    assertTrue(ok > 0, "expected some requests to be served");
  }
}
