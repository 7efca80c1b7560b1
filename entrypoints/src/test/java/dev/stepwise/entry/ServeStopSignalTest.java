package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.api.server.TinyServing;
import dev.stepwise.caller.ServeJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI server ({@code sampler.jar job=serve}, a random tiny GPT-2) in a child JVM, sent
 * SIGTERM while four clients keep requests in flight: every request sent before the signal gets
 * an HTTP answer, either a complete completion (200) or a 503 ({@code shutting_down}); no
 * request gets another status; at least one request in flight at the signal is answered with a
 * completion after it; the server exits with 143 and leaves no native crash report.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ServeStopSignalTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** One request's outcome: when it was sent and answered (nanoTime), its status (-1: no HTTP answer). */
  record Call(long sent, long done, int status, String body) {}

  @Test
  void inFlightRequestsAreAnsweredOrRefusedWith503() throws Exception {
    Path ckpt = tmp.resolve("ckpt");
    try (TinyServing tiny = new TinyServing(11)) {
      tiny.save(ckpt);
    }
    Path run = tmp.resolve("serve");
    ChildJob server = ChildJob.start(tmp.resolve("cwd"), "serve", SamplerMain.class, true, List.of(
        "-cp", ChildJob.ROOT.resolve("conf/exp/serve/arith").toString(), "-cn", "tiny_serve", "run.dir=" + run,
        "serve.model_path=" + ckpt, "api.server.port=0", "api.server.model_name=tiny", "run.num_threads=1"));
    Path urlFile = run.resolve(ServeJob.URL_FILE);
    server.await("the server's URL", () -> {
      try {
        return Files.exists(urlFile) && Files.readString(urlFile).endsWith("\n");
      } catch (IOException e) {
        return false;
      }
    });
    String url = Files.readString(urlFile).trim();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String body = "{\"model\":\"tiny\",\"prompt\":\"1+2=\",\"max_tokens\":48,\"n\":4,\"temperature\":1.0}";
    List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch answered = new CountDownLatch(1);
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      Thread t = new Thread(() -> {
        while (server.process.isAlive()) {
          long sent = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            calls.add(new Call(sent, System.nanoTime(), r.statusCode(), r.body()));
            answered.countDown();
          } catch (IOException e) {
            calls.add(new Call(sent, System.nanoTime(), -1, e.toString()));
            return; // the server is gone
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      t.start();
      clients.add(t);
    }
    assertTrue(answered.await(120, TimeUnit.SECONDS), "no answer: " + server.output());
    long term = System.nanoTime();
    server.signal("TERM");
    assertEquals(143, server.exit(), server.output());
    for (Thread t : clients) {
      t.join(60_000);
    }
    server.assertNoCrashReport();
    int ok = 0;
    int refused = 0;
    int inFlightAnswered = 0;
    synchronized (calls) {
      for (Call c : calls) {
        if (c.sent() < term) {
          assertTrue(c.status() == 200 || c.status() == 503, "a request sent before the signal got " + c);
        } else {
          assertTrue(c.status() == 200 || c.status() == 503 || c.status() == -1, "after the signal: " + c);
        }
        if (c.status() == 200) {
          JsonNode n = JSON.readTree(c.body());
          assertEquals(4, n.get("choices").size(), c.body());
          ok++;
          if (c.sent() < term && c.done() > term) {
            inFlightAnswered++;
          }
        } else if (c.status() == 503) {
          assertEquals("shutting_down", JSON.readTree(c.body()).get("error").get("code").asText(), c.body());
          refused++;
        }
      }
    }
    assertTrue(inFlightAnswered >= 1, "no request in flight at the signal was answered: " + calls);
    assertTrue(server.output().contains("Stopped: stopped by SIGTERM after answering"), server.output());
    System.out.printf("[ServeStopSignalTest] %d answered (%d of them in flight at the signal), %d refused with 503%n",
        ok, inFlightAnswered, refused);
  }
}
