package dev.stepwise.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.stepwise.api.ApiClient;
import dev.stepwise.api.ClientConfig;
import dev.stepwise.api.server.OpenAiServer;
import dev.stepwise.api.server.ServerConfig;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API benchmarks ({@code scripts/bench/api.sh}).
 *
 * <ul>
 *   <li>{@code caller [requests]}: requests/s of {@link ApiClient} at concurrency 1, 16 and 64
 *       against a local server that answers instantly with a fixed completion (JDK HttpServer,
 *       4 handler threads); each level runs 500 warm-up requests, then {@code requests} (default
 *       5,000; a fifth of that at concurrency 1), timed from the first submission to the last
 *       answer. The same process hosts both sides, so the figure includes the server's cost.
 *   <li>{@code server [seconds] [checkpoint]}: generated tokens/s of {@link OpenAiServer} with 1
 *       and 16 concurrent clients, each sending one request after another ({@code n=1}, 32-char
 *       prompt, 64 new tokens, EOS ignored, temperature 1), for {@code seconds} (default 20)
 *       after a 5 s warm-up. Model: the checkpoint when given, else a random GPT-2 of the default
 *       shape (width 128, 4 layers, 4 heads, context 384) with the ASCII char tokenizer.
 * </ul>
 */
public final class ApiBench {
  private ApiBench() {}

  /** Entry point: {@code caller [requests]} or {@code server [seconds] [checkpoint]}. */
  public static void main(String[] args) throws Exception {
    // TCP_NODELAY for the JDK HttpServer (see OpenAiServer); must precede the first server
    System.setProperty("sun.net.httpserver.nodelay", "true");
    String mode = args.length > 0 ? args[0] : "caller";
    System.out.println("load: " + BenchSupport.load());
    if (mode.equals("caller")) {
      caller(args.length > 1 ? Integer.parseInt(args[1]) : 5000);
    } else {
      server(args.length > 1 ? Double.parseDouble(args[1]) : 20, args.length > 2 ? Path.of(args[2]) : null);
    }
  }

  private static final String ANSWER =
      "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\" 42\",\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10}}";

  static void caller(int requests) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
    s.setExecutor(Executors.newFixedThreadPool(4));
    s.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    });
    s.start();
    String url = "http://127.0.0.1:" + s.getAddress().getPort() + "/v1";
    ObjectNode req = JsonNodeFactory.instance.objectNode().put("model", "m").put("prompt", "What is 6*7? Answer:").put("max_tokens", 4);
    for (int c : new int[] {1, 16, 64}) {
      try (ApiClient client = new ApiClient(ClientConfig.of(url).withConcurrency(c).withRetries(30, 0, 0, 0), Map.of())) {
        run(client, req, 500);
        int n = c == 1 ? Math.max(100, requests / 5) : requests;
        long t0 = System.nanoTime();
        run(client, req, n);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("caller concurrency %2d: %,8.0f requests/s (%d requests in %.2f s)%n", c, n / secs, n, secs);
      }
    }
    s.stop(0);
    System.exit(0);
  }

  private static void run(ApiClient client, JsonNode req, int n) throws Exception {
    List<CompletableFuture<String>> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(client.post("/completions", req, j -> j.path("choices").path(0).path("text").asText()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }

  static void server(double seconds, Path ckpt) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    try (NDManager m = NDManager.newBaseManager()) {
      Tokenizer tok;
      CausalLM lm;
      if (ckpt != null) {
        tok = Tokenizers.load(ckpt);
        lm = ModelCheckpoint.load(ckpt, m);
      } else {
        tok = CharTokenizer.ascii();
        lm = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 128, 4, 4, 384, 0, 1e-5, 0.02), m, 1);
      }
      try (OpenAiServer server = new OpenAiServer(ServerConfig.local("bench"), new Sampler(lm, tok, 64), tok, null);
          ApiClient client = new ApiClient(ClientConfig.of(server.baseUrl()).withConcurrency(64).withRetries(120, 0, 0, 0), Map.of())) {
        ObjectNode req = JsonNodeFactory.instance.objectNode().put("model", "bench").put("prompt", "Natalia sold clips to 48 friends")
            .put("max_tokens", 64).put("ignore_eos", true).put("temperature", 1.0);
        clients(client, req, 1, 5);
        double one = clients(client, req, 1, seconds);
        System.out.printf("server  1 client : %,8.0f generated tokens/s%n", one);
        clients(client, req, 16, 5);
        long[] before = server.batchCounts();
        double sixteen = clients(client, req, 16, seconds);
        long[] after = server.batchCounts();
        System.out.printf("server 16 clients: %,8.0f generated tokens/s (%.1fx; %.1f requests per generation call)%n",
            sixteen, sixteen / one, (after[1] - before[1]) / (double) Math.max(1, after[0] - before[0]));
      }
    }
    System.exit(0);
  }

  /** @return generated tokens/s of {@code k} clients sending requests back to back for {@code seconds} */
  private static double clients(ApiClient client, JsonNode req, int k, double seconds) throws Exception {
    AtomicLong tokens = new AtomicLong();
    long end = System.nanoTime() + Math.round(seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < k; i++) {
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            tokens.addAndGet(client.post("/completions", req, j -> j.path("usage").path("completion_tokens").asLong()).join());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    return tokens.get() / ((System.nanoTime() - t0) / 1e9);
  }
}
