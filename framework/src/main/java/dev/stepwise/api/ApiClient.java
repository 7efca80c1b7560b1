package dev.stepwise.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP client for OpenAI-compatible APIs ({@code java.net.http.HttpClient} + Jackson), built
 * for sampling at scale.
 *
 * <ul>
 *   <li><b>Concurrency bound.</b> At most {@link ClientConfig#concurrency()} requests are in
 *       flight (retries and their backoff included); {@link #post} blocks the submitting thread
 *       until a slot frees.
 *   <li><b>Timeout.</b> Each attempt must deliver its whole body within {@link
 *       ClientConfig#timeoutS()}, so a server that stalls mid-body is abandoned and retried.
 *   <li><b>Retries.</b> HTTP 429 and 5xx, connection errors, timeouts and bodies that do not parse
 *       (or that the caller's decoder rejects) are retried up to {@link ClientConfig#maxRetries()}
 *       times after a {@link Backoff} delay that honours {@code Retry-After}. Other 4xx answers
 *       fail at once. The final failure is an {@link ApiException} whose message is the reason.
 *   <li><b>Round-robin.</b> Each attempt goes to the next base URL, so replicas share the load
 *       and a retry avoids the replica that just failed.
 *   <li><b>Secrets.</b> The key is read from the environment variable named by {@link
 *       ClientConfig#apiKeyEnv()}; it is only ever placed in the {@code Authorization} header and
 *       is masked out of every error message (in case a server echoes it).
 * </ul>
 *
 * <p>Thread-safe. Close it to stop its worker threads.
 */
public final class ApiClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXCERPT = 200;

  private final ClientConfig cfg;
  private final String apiKey;
  private final HttpClient http;
  private final ExecutorService pool;
  private final Semaphore slots;
  private final Backoff backoff;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param cfg connection settings
   * @param env the environment to read {@code api_key_env} from (normally {@code System.getenv()})
   * @throws UserError when {@code api_key_env} names a variable that is unset or empty
   */
  public ApiClient(ClientConfig cfg, Map<String, String> env) {
    this.cfg = cfg;
    if (cfg.apiKeyEnv() != null) {
      String k = env.get(cfg.apiKeyEnv());
      if (k == null || k.isBlank()) {
        throw new UserError("caller.api_key_env names the environment variable '" + cfg.apiKeyEnv() + "', which is not set");
      }
      this.apiKey = k.trim();
    } else {
      this.apiKey = null;
    }
    int threads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "api-client");
      t.setDaemon(true);
      return t;
    });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(Math.max(1, Math.round(cfg.timeoutS() * 1000))))
            .executor(pool)
            .build();
    this.slots = new Semaphore(cfg.concurrency());
    this.backoff = new Backoff(cfg.backoffInitialS(), cfg.backoffMaxS());
  }

  /** @return the settings */
  public ClientConfig config() {
    return cfg;
  }

  /**
   * Posts {@code body} as JSON to {@code <base_url><path>} and decodes the answer.
   *
   * @param path e.g. {@code "/completions"} or {@code "/chat/completions"}
   * @param body the JSON request
   * @param decoder turns a parsed 200 body into the result; an exception it throws marks the body
   *     as malformed (retried)
   * @return completes with the decoded result, or exceptionally with an {@link ApiException}
   * @throws InterruptedException when interrupted while waiting for a free slot
   */
  public <T> CompletableFuture<T> post(String path, JsonNode body, Function<JsonNode, T> decoder)
      throws InterruptedException {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialise request body", e);
    }
    slots.acquire();
    CompletableFuture<T> result = new CompletableFuture<>();
    result.whenComplete((r, e) -> slots.release());
    requests.incrementAndGet();
    attempt(path, bytes, decoder, 1, result);
    return result;
  }

  /**
   * Scores token-id prompts: each token's log-probability given the ones before it, read with one
   * {@code /v1/completions} request ({@code echo: true}, {@code logprobs}, {@code max_tokens: 0};
   * see {@link PromptScores}) under {@link #post}'s concurrency bound, retries and backoff. Works
   * against vLLM and the Stepwise server; a server without echo support answers 400, which fails
   * at once.
   *
   * @param model the model id, or null to leave it out (vLLM needs one)
   * @param prompts token ids per prompt (at least one prompt, each non-empty)
   * @param topLogprobs alternatives per position to ask for, 0-5
   * @return completes with one {@link PromptScores} per prompt (its length is the prompt's), or
   *     exceptionally with an {@link ApiException}
   * @throws InterruptedException when interrupted while waiting for a free slot
   */
  public CompletableFuture<List<PromptScores>> scorePrompts(String model, List<int[]> prompts, int topLogprobs)
      throws InterruptedException {
    var arr = JSON.createArrayNode();
    int[] lengths = new int[prompts.size()];
    for (int i = 0; i < prompts.size(); i++) {
      var ids = arr.addArray();
      for (int id : prompts.get(i)) {
        ids.add(id);
      }
      lengths[i] = prompts.get(i).length;
    }
    return post("/completions", PromptScores.request(model, arr, topLogprobs), b -> PromptScores.decode(b, lengths));
  }

  /**
   * As {@link #scorePrompts} for text prompts, tokenized by the server.
   *
   * @param prompts the prompts (non-empty strings)
   */
  public CompletableFuture<List<PromptScores>> scoreTexts(String model, List<String> prompts, int topLogprobs)
      throws InterruptedException {
    var arr = JSON.createArrayNode();
    prompts.forEach(arr::add);
    int[] lengths = new int[prompts.size()];
    java.util.Arrays.fill(lengths, -1);
    return post("/completions", PromptScores.request(model, arr, topLogprobs), b -> PromptScores.decode(b, lengths));
  }

  /**
   * Blocking GET of {@code <base_url><path>} on the next base URL (with the same retries).
   *
   * @return the parsed JSON body
   * @throws ApiException when it failed for good
   */
  public JsonNode get(String path) throws InterruptedException {
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    slots.acquire();
    f.whenComplete((r, e) -> slots.release());
    attempt(path, null, n -> n, 1, f);
    try {
      return f.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof ApiException a ? a : e;
    }
  }

  private <T> void attempt(String path, byte[] body, Function<JsonNode, T> decoder, int n, CompletableFuture<T> result) {
    try {
      send(path, body, decoder, n, result);
    } catch (RuntimeException e) {
      // e.g. a malformed URL or a closed client: fail this request, never leak its slot
      fail(result, "cannot send: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), 0, n, path);
    }
  }

  private <T> void send(String path, byte[] body, Function<JsonNode, T> decoder, int n, CompletableFuture<T> result) {
    String url = cfg.baseUrls().get(Math.floorMod(next.getAndIncrement(), cfg.baseUrls().size())) + path;
    long timeoutMs = Math.max(1, Math.round(cfg.timeoutS() * 1000));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMs)).header("Accept", "application/json");
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    if (body != null) {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      b.GET();
    }
    http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
        .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .whenComplete((resp, err) -> {
          try {
            handle(path, body, decoder, n, result, url, resp, err);
          } catch (RuntimeException e) {
            result.completeExceptionally(new ApiException(mask("client error: " + e), 0, n));
          }
        });
  }

  private <T> void handle(
      String path, byte[] body, Function<JsonNode, T> decoder, int n, CompletableFuture<T> result,
      String url, HttpResponse<byte[]> resp, Throwable err) {
    String reason;
    int status = 0;
    java.util.Optional<Duration> retryAfter = java.util.Optional.empty();
    if (err != null) {
      Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      reason = c instanceof TimeoutException || c instanceof HttpTimeoutException
          ? "timeout: no complete answer within " + cfg.timeoutS() + " s"
          : "connection error: " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    } else {
      status = resp.statusCode();
      if (status == 200) {
        try {
          T value = decoder.apply(JSON.readTree(resp.body()));
          result.complete(value);
          return;
        } catch (IOException | RuntimeException e) {
          reason = "malformed body: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
        }
      } else {
        reason = "HTTP " + status + ": " + errorMessage(resp.body());
        retryAfter = Backoff.parseRetryAfter(resp.headers().firstValue("Retry-After").orElse(null), System.currentTimeMillis());
        if (status != 429 && status < 500) {
          fail(result, reason, status, n, url);
          return;
        }
      }
    }
    if (n > cfg.maxRetries()) {
      fail(result, reason, status, n, url);
      return;
    }
    long delay = backoff.delayMillis(n, retryAfter);
    retries.incrementAndGet();
    LOG.debug("{} (attempt {}): {}; retrying in {} ms", url, n, mask(reason), delay);
    Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, pool);
    later.execute(() -> attempt(path, body, decoder, n + 1, result));
  }

  private void fail(CompletableFuture<?> result, String reason, int status, int attempts, String url) {
    failures.incrementAndGet();
    String msg = mask(reason + " (" + url + ", " + attempts + (attempts == 1 ? " attempt)" : " attempts)"));
    result.completeExceptionally(new ApiException(msg, status, attempts));
  }

  /** @return OpenAI's {@code error.message} when the body has one, else an excerpt of the body */
  private static String errorMessage(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.path("error").path("message").isTextual()) {
        return firstLine(n.path("error").path("message").asText());
      }
    } catch (IOException ignored) {
      // not JSON: fall back to the raw text
    }
    return firstLine(new String(body, 0, Math.min(body.length, EXCERPT), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.lines().findFirst().orElse("");
    return line.length() > EXCERPT ? line.substring(0, EXCERPT) + "..." : line;
  }

  private String mask(String s) {
    return apiKey == null ? s : s.replace(apiKey, "***");
  }

  /** @return requests submitted, retries made and requests failed for good, so far */
  public Map<String, Long> stats() {
    return Map.of("api/requests", requests.get(), "api/retries", retries.get(), "api/failed", failures.get());
  }

  /** @return the base URLs (never the key) */
  @Override
  public String toString() {
    return "ApiClient" + List.copyOf(cfg.baseUrls());
  }

  /** Stops the worker threads; requests still in flight fail. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
