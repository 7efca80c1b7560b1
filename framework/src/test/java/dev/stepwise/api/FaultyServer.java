package dev.stepwise.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A real loopback HTTP/1.1 server (raw sockets, one thread per connection, {@code Connection:
 * close}) that misbehaves on purpose. A script maps (prompt, attempt number for that prompt,
 * 1-based) to a {@link Fault}; a good answer is an OpenAI completion whose text is {@code
 * "echo:" + prompt} for each of the request's {@code n} choices, with usage 3 + 2 per choice.
 * Reusable by other modules through the framework's test jar.
 */
public final class FaultyServer implements AutoCloseable {
  /** What to do with one request. */
  public enum Fault {
    /** answer 200 with a good completion */
    OK,
    /** answer 429 with {@code Retry-After: 1} */
    RATE_LIMIT,
    /** answer 500 */
    ERROR_500,
    /** answer 400 (not retryable) */
    BAD_REQUEST,
    /** close the connection without answering */
    DROP,
    /** send the 200 headers and half of the JSON body, then close */
    HALF_JSON,
    /** say nothing for {@link #stallMillis}, then close */
    STALL,
    /** answer 200 with valid JSON that is not a completion */
    WRONG_SHAPE
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ServerSocket socket;
  private final Thread acceptor;
  private final BiFunction<String, Integer, Fault> script;
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Most requests being handled at once. */
  public final AtomicInteger maxInFlight = new AtomicInteger();
  /** Every request's {@code Authorization} header (or "" when absent) and arrival time (ms). */
  public final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Arrival times in ms per prompt. */
  public final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
  /** How long {@link Fault#STALL} stalls. */
  public volatile long stallMillis = 10_000;
  /** Extra delay before every good answer (ms). */
  public volatile long answerDelayMillis = 0;
  private volatile boolean closed;

  /** Starts on a free loopback port. */
  public FaultyServer(BiFunction<String, Integer, Fault> script) throws IOException {
    this.script = script;
    this.socket = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "faulty-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** @return {@code http://127.0.0.1:port/v1} */
  public String baseUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
  }

  /** @return attempts seen for {@code prompt} */
  public int attempts(String prompt) {
    AtomicInteger a = attempts.get(prompt);
    return a == null ? 0 : a.get();
  }

  /** @return requests seen in total */
  public int totalRequests() {
    return attempts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = socket.accept();
        Thread t = new Thread(() -> serve(s), "faulty-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    // A request is in flight from when its body has been read (the client holds a slot for it
    // then) until just before the answer is written (the client cannot release the slot before
    // it has the answer): counting from accept to close overlapped the client's next request.
    boolean counted = false;
    try (s) {
      InputStream in = s.getInputStream();
      String head = readHead(in);
      int len = 0;
      String auth = "";
      for (String line : head.split("\r\n")) {
        int c = line.indexOf(':');
        if (c > 0 && line.substring(0, c).equalsIgnoreCase("Content-Length")) {
          len = Integer.parseInt(line.substring(c + 1).trim());
        }
        if (c > 0 && line.substring(0, c).equalsIgnoreCase("Authorization")) {
          auth = line.substring(c + 1).trim();
        }
      }
      authorizations.add(auth);
      byte[] body = in.readNBytes(len);
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      counted = true;
      JsonNode req = len > 0 ? JSON.readTree(body) : JSON.createObjectNode();
      String prompt = req.path("prompt").isTextual() ? req.path("prompt").asText()
          : req.path("messages").path(0).path("content").asText("");
      int attempt = attempts.computeIfAbsent(prompt, k -> new AtomicInteger()).incrementAndGet();
      arrivals.computeIfAbsent(prompt, k -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
      Fault f = script.apply(prompt, attempt);
      OutputStream out = s.getOutputStream();
      switch (f) {
        case OK -> {
          if (answerDelayMillis > 0) {
            Thread.sleep(answerDelayMillis);
          }
          inFlight.decrementAndGet();
          counted = false;
          respond(out, 200, "", good(prompt, req.path("n").asInt(1), req.has("messages")));
        }
        case RATE_LIMIT -> respond(out, 429, "Retry-After: 1\r\n", "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}");
        case ERROR_500 -> respond(out, 500, "", "{\"error\":{\"message\":\"boom, key was " + auth + "\",\"type\":\"server_error\"}}");
        case BAD_REQUEST -> respond(out, 400, "", "{\"error\":{\"message\":\"bad prompt\",\"type\":\"invalid_request_error\"}}");
        case DROP -> { }
        case HALF_JSON -> {
          String full = good(prompt, 1, false);
          byte[] all = full.getBytes(StandardCharsets.UTF_8);
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + all.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
          out.write(all, 0, all.length / 2);
          out.flush();
        }
        case STALL -> Thread.sleep(stallMillis);
        case WRONG_SHAPE -> respond(out, 200, "", "{\"object\":\"text_completion\",\"choices\":\"nope\"}");
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the client went away or the test is over
    } finally {
      if (counted) {
        inFlight.decrementAndGet();
      }
    }
  }

  private static String good(String prompt, int n, boolean chat) throws IOException {
    var root = JSON.createObjectNode().put("id", "cmpl-x").put("object", chat ? "chat.completion" : "text_completion").put("model", "faulty");
    var choices = root.putArray("choices");
    for (int i = 0; i < n; i++) {
      var c = choices.addObject().put("index", i).put("finish_reason", "stop");
      if (chat) {
        c.putObject("message").put("role", "assistant").put("content", "echo:" + prompt);
      } else {
        c.put("text", "echo:" + prompt);
      }
    }
    root.putObject("usage").put("prompt_tokens", 3).put("completion_tokens", 2 * n).put("total_tokens", 3 + 2 * n);
    return JSON.writeValueAsString(root);
  }

  private static void respond(OutputStream out, int status, String extra, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\n" + extra + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(b);
    out.flush();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("eof in headers");
      }
      buf.write(c);
      if (c == '\r') {
        state = state == 2 ? 3 : 1;
      } else if (c == '\n') {
        state = state == 1 ? 2 : state == 3 ? 4 : 0;
      } else {
        state = 0;
      }
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    socket.close();
  }
}
