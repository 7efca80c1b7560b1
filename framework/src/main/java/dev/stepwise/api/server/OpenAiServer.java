package dev.stepwise.api.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible HTTP server for one Stepwise checkpoint, on the JDK's {@code
 * com.sun.net.httpserver}.
 *
 * <p>Routes: {@code GET /v1/models}, {@code POST /v1/completions}, {@code POST
 * /v1/chat/completions} (fields: {@link CompletionRequest}); answers as OpenAI does ({@code
 * text_completion}, {@code chat.completion}, or {@code text/event-stream} chunks ending with
 * {@code data: [DONE]}). Completions also score prompts as vLLM does ({@code echo} with {@code
 * logprobs}, {@code max_tokens: 0}, token-id prompts; {@link EchoResponses}): the prompt
 * log-probabilities come from one no-grad forward on the batcher's worker thread ({@link
 * dev.stepwise.generate.PromptScorer}). Streams are sent once a request's generation has finished (the sampler
 * has no per-token callback): one content chunk and one finish chunk per choice.
 *
 * <p>Threads: a handler thread parses and queues a request, then is free again; the answer is
 * written by a handler thread when the batcher completes it, so {@link ServerConfig#maxQueued()}
 * (not the thread count) bounds the requests waiting for generation.
 *
 * <p>Safety: binds to {@link ServerConfig#host()} (127.0.0.1 by default); with a key, requests
 * without {@code Authorization: Bearer <key>} get 401 (compared in constant time); bodies over
 * {@link ServerConfig#maxBodyBytes()} get 413; invalid fields 400; unknown models 404; a full
 * queue 429 with {@code Retry-After: 1}. Every error is OpenAI's JSON error object; an internal
 * failure is logged here and answered with a 500 that carries no stack trace.
 *
 * <p>Stopping ({@link #drain}): requests that arrive after the drain started get 503 with {@code
 * Retry-After: 1} (code {@code shutting_down}); every request already accepted is generated and
 * answered before {@link #drain} returns.
 */
public final class OpenAiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, the client's
    // delayed ACK then adds ~40 ms to every answer (21 instead of ~330 requests/s at concurrency
    // 1 in scripts/bench/api.sh). Read once, when the first HttpServer is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final ServerConfig cfg;
  private final ChatTemplate template;
  private final Tokenizer tokenizer;
  private final int vocab;
  private final byte[] apiKey;
  private final GenerationBatcher batcher;
  private final HttpServer http;
  private final ExecutorService handlers;
  private final long created = System.currentTimeMillis() / 1000;
  /** Requests accepted for generation whose answer is not written yet. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean draining;

  /**
   * Starts serving at once.
   *
   * @param cfg settings
   * @param sampler the sampler over the served model (owned by the server's batcher from now on)
   * @param tokenizer the model's tokenizer (prompt token counts, per-token log-prob strings)
   * @param apiKey the bearer key clients must send, or null for none
   * @throws UserError when the address cannot be bound
   */
  public OpenAiServer(ServerConfig cfg, Sampler sampler, Tokenizer tokenizer, String apiKey) {
    this(cfg, sampler, tokenizer, apiKey, null);
  }

  /**
   * Starts serving at once, rendering chat requests through a chat template.
   *
   * @param cfg settings
   * @param sampler the sampler over the served model (owned by the server's batcher from now on)
   * @param tokenizer the model's tokenizer (prompt token counts, per-token log-prob strings)
   * @param apiKey the bearer key clients must send, or null for none
   * @param template the chat template for {@code /v1/chat/completions}, or null to join the
   *     messages' contents by newlines (see {@link CompletionRequest})
   * @throws UserError when the address cannot be bound
   */
  public OpenAiServer(ServerConfig cfg, Sampler sampler, Tokenizer tokenizer, String apiKey, ChatTemplate template) {
    this.cfg = cfg;
    this.template = template;
    this.tokenizer = tokenizer;
    this.vocab = Math.min(tokenizer.vocabSize(), sampler.model().config().vocabSize());
    this.apiKey = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
    this.batcher = new GenerationBatcher(sampler, cfg.maxBatchPrompts(), cfg.batchWindowMs(), cfg.maxQueued());
    try {
      this.http = HttpServer.create(new InetSocketAddress(cfg.host(), cfg.port()), 512);
    } catch (IOException e) {
      batcher.close();
      throw new UserError("server: cannot listen on " + cfg.host() + ":" + cfg.port() + " (" + e.getMessage() + ")");
    }
    this.handlers = Executors.newFixedThreadPool(cfg.threads(), r -> {
      Thread t = new Thread(r, "api-server");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(handlers);
    http.createContext("/", this::handle);
    http.start();
    LOG.info("Serving '{}' on http://{}:{}/v1", cfg.modelName(), cfg.host(), port());
  }

  /** @return the bound port */
  public int port() {
    return http.getAddress().getPort();
  }

  /** @return {@code http://host:port/v1} */
  public String baseUrl() {
    return "http://" + cfg.host() + ":" + port() + "/v1";
  }

  /** @return generation calls and requests served (see {@link GenerationBatcher#counts()}) */
  public long[] batchCounts() {
    return batcher.counts();
  }

  private void handle(HttpExchange ex) {
    boolean handedOver = false;
    try {
      try {
        handedOver = route(ex);
      } catch (OpenAiError e) {
        sendError(ex, e);
      } catch (RuntimeException | Error e) {
        LOG.error("internal error on {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
        sendError(ex, new OpenAiError(500, "server_error", null, null, "internal server error"));
      }
    } catch (IOException e) {
      LOG.debug("client went away: {}", e.toString());
    } finally {
      if (!handedOver) {
        ex.close();
      }
    }
  }

  /** @return true when the exchange was handed to a generation callback, which closes it */
  private boolean route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    String method = ex.getRequestMethod();
    boolean known = path.equals("/v1/models") || path.equals("/v1/completions") || path.equals("/v1/chat/completions");
    if (!known) {
      throw new OpenAiError(404, "invalid_request_error", null, "not_found", "unknown path " + path);
    }
    authorize(ex);
    if (draining) {
      throw shuttingDown(ex);
    }
    if (path.equals("/v1/models")) {
      if (!method.equals("GET")) {
        throw new OpenAiError(405, "invalid_request_error", null, null, "use GET on " + path);
      }
      ObjectNode list = JSON.createObjectNode().put("object", "list");
      list.putArray("data").addObject().put("id", cfg.modelName()).put("object", "model").put("created", created).put("owned_by", "stepwise");
      send(ex, 200, list);
      return false;
    }
    if (!method.equals("POST")) {
      throw new OpenAiError(405, "invalid_request_error", null, null, "use POST on " + path);
    }
    JsonNode body = readBody(ex);
    complete(ex, CompletionRequest.parse(body, path.endsWith("chat/completions"), cfg, tokenizer, vocab, template));
    return true;
  }

  private void authorize(HttpExchange ex) throws IOException {
    if (apiKey == null) {
      return;
    }
    String h = ex.getRequestHeaders().getFirst("Authorization");
    byte[] given = h != null && h.startsWith("Bearer ") ? h.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(given, apiKey)) {
      throw new OpenAiError(401, "invalid_request_error", null, "invalid_api_key",
          h == null ? "missing Authorization: Bearer header" : "incorrect API key provided");
    }
  }

  private JsonNode readBody(HttpExchange ex) throws IOException {
    String len = ex.getRequestHeaders().getFirst("Content-Length");
    if (len != null) {
      try {
        if (Long.parseLong(len.trim()) > cfg.maxBodyBytes()) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw OpenAiError.invalid(null, "bad Content-Length");
      }
    }
    InputStream in = ex.getRequestBody();
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cfg.maxBodyBytes() + 1));
    if (bytes.length > cfg.maxBodyBytes()) {
      throw tooLarge();
    }
    try {
      return JSON.readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw OpenAiError.invalid(null, "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private OpenAiError tooLarge() {
    return new OpenAiError(413, "invalid_request_error", null, "request_too_large",
        "request body larger than " + cfg.maxBodyBytes() + " bytes");
  }

  /**
   * Queues the request and returns at once: the handler thread is free while the batcher
   * generates, and the answer is written (and the exchange closed) by a handler thread when the
   * generation completes. Only a full queue is answered here (429, thrown).
   */
  private void complete(HttpExchange ex, CompletionRequest req) {
    List<int[]> ids = req.promptIds() != null ? req.promptIds() : req.prompts().stream().map(tokenizer::encode).toList();
    int scoreTopK = req.echo() && req.logprobs() ? req.topLogprobs() : -1;
    CompletableFuture<GenerationBatcher.Result> f;
    inFlight.incrementAndGet();
    try {
      f = batcher.submit(new GenerationBatcher.Work(ids, req.params(), req.generate(), scoreTopK));
    } catch (GenerationBatcher.Busy e) {
      inFlight.decrementAndGet();
      if (draining) {
        throw shuttingDown(ex);
      }
      ex.getResponseHeaders().set("Retry-After", "1");
      throw new OpenAiError(429, "rate_limit_error", null, "server_busy", "too many requests waiting; retry later");
    }
    f.whenCompleteAsync((out, err) -> {
      try (ex) {
        try {
          if (err != null) {
            Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (c instanceof UserError u) {
              throw OpenAiError.invalid("prompt", u.getMessage());
            }
            LOG.error("generation failed", c);
            throw new OpenAiError(500, "server_error", null, null, "internal server error");
          }
          answer(ex, req, ids, out);
        } catch (OpenAiError e) {
          sendError(ex, e);
        } catch (RuntimeException e) {
          LOG.error("internal error answering {}", ex.getRequestURI().getPath(), e);
          sendError(ex, new OpenAiError(500, "server_error", null, null, "internal server error"));
        }
      } catch (IOException e) {
        LOG.debug("client went away: {}", e.toString());
      } finally {
        synchronized (inFlight) {
          inFlight.decrementAndGet();
          inFlight.notifyAll();
        }
      }
    }, handlers);
  }

  private static OpenAiError shuttingDown(HttpExchange ex) {
    ex.getResponseHeaders().set("Retry-After", "1");
    return new OpenAiError(503, "server_error", null, "shutting_down", "the server is shutting down; retry on another server");
  }

  /**
   * Stops taking requests (new ones get 503) and waits until every accepted request has been
   * generated and answered, or until {@code timeoutMs} passed; {@link #close()} follows.
   *
   * @param timeoutMs the longest wait in milliseconds
   * @return the number of accepted requests still unanswered (0 unless the wait timed out)
   * @throws InterruptedException when interrupted while waiting
   */
  public int drain(long timeoutMs) throws InterruptedException {
    draining = true;
    batcher.refuse();
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          break;
        }
        inFlight.wait(Math.min(left, 100));
      }
    }
    return inFlight.get();
  }

  private void answer(HttpExchange ex, CompletionRequest req, List<int[]> ids, GenerationBatcher.Result result) throws IOException {
    String id = (req.chat() ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
    if (req.echo()) {
      send(ex, 200, EchoResponses.full(id, System.currentTimeMillis() / 1000, cfg.modelName(), req, result, ids, tokenizer));
      return;
    }
    List<List<Completion>> out = result.completions();
    int promptTokens = 0;
    for (int[] p : ids) {
      promptTokens += Math.max(1, p.length);
    }
    if (!req.stream()) {
      send(ex, 200, CompletionResponses.full(id, System.currentTimeMillis() / 1000, cfg.modelName(), req, out, tokenizer, promptTokens));
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream os = ex.getResponseBody()) {
      for (ObjectNode chunk : CompletionResponses.chunks(id, System.currentTimeMillis() / 1000, cfg.modelName(), req, out, tokenizer, promptTokens)) {
        os.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        os.flush();
      }
      os.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private void sendError(HttpExchange ex, OpenAiError e) throws IOException {
    send(ex, e.status(), e.body());
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  /** Stops accepting requests, fails the waiting ones and stops the worker threads. */
  @Override
  public void close() {
    http.stop(0);
    batcher.close();
    handlers.shutdownNow();
  }

  /** @return a short description (never the key) */
  @Override
  public String toString() {
    return "OpenAiServer" + Map.of("model", cfg.modelName(), "url", baseUrl());
  }
}
