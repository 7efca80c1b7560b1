package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.api.FaultyServer;
import dev.stepwise.api.FaultyServer.Fault;
import dev.stepwise.api.server.TinyServing;
import dev.stepwise.cli.CliIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code api-caller.jar} end to end against the repository's conf tree: against a misbehaving
 * server every item completes or lands in failed.jsonl; a killed caller (a separate JVM, {@code
 * kill -9}) resumes with no duplicate and no loss.
 */
class ApiCallerMainTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  static List<String> args(String url, Path dir, String... more) {
    List<String> all = new ArrayList<>(List.of(
        "-cp", ROOT.resolve("conf/exp/sample/arith").toString(), "-cn", "tiny_api_sample",
        "run.dir=" + dir, "tracker=[jsonl]", "api.caller.model=faulty",
        "api.caller.client.base_urls=[\"" + url + "\"]"));
    all.addAll(List.of(more));
    return all;
  }

  int run(List<String> args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    CliIo io = new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, ROOT);
    return ApiCallerMain.run(args.toArray(String[]::new), io);
  }

  static List<JsonNode> read(Path f) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  @Test
  void everyItemCompletesOrLandsInFailedJsonl() throws Exception {
    // by problem: always 500 / 429 then ok / drop then ok / half JSON then ok / stall then ok / ok
    Fault[] first = {Fault.ERROR_500, Fault.RATE_LIMIT, Fault.DROP, Fault.HALF_JSON, Fault.STALL, Fault.OK, Fault.BAD_REQUEST};
    try (FaultyServer s = new FaultyServer((p, a) -> {
      Fault f = first[Math.floorMod(p.hashCode(), first.length)];
      return f == Fault.ERROR_500 || f == Fault.BAD_REQUEST || a == 1 ? f : Fault.OK;
    })) {
      s.stallMillis = 3000;
      Path dir = tmp.resolve("run");
      int rc = run(args(s.baseUrl(), dir, "sample.limit=24", "api.caller.client.timeout_s=0.5", "api.caller.client.max_retries=2",
          "api.caller.client.backoff_initial_s=0.01", "api.caller.client.backoff_max_s=0.05", "api.caller.client.concurrency=8"));
      assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
      List<JsonNode> ok = read(dir.resolve("samples.jsonl"));
      List<JsonNode> failed = read(dir.resolve("failed.jsonl"));
      Set<String> okIds = new HashSet<>();
      ok.forEach(r -> okIds.add(r.get("id").asText()));
      Set<String> failedIds = new HashSet<>();
      for (JsonNode f : failed) {
        failedIds.add(f.get("id").asText());
        String reason = f.get("reason").asText();
        assertTrue(reason.startsWith("HTTP 500") || reason.startsWith("HTTP 400"), reason);
        assertEquals(reason.startsWith("HTTP 500") ? 3 : 1, f.get("attempts").asInt(), reason);
      }
      assertEquals(ok.size(), okIds.size(), "duplicate samples");
      assertTrue(failedIds.size() > 0 && okIds.size() > 0, "the script should yield both outcomes");
      assertTrue(okIds.stream().noneMatch(failedIds::contains));
      assertEquals(24, okIds.size() + failedIds.size(), "every item completes or fails");
      for (JsonNode r : ok) {
        assertEquals(4, r.get("response").size());
        assertEquals("echo:" + r.get("prompt").asText(), r.get("response").get(0).asText());
      }
      JsonNode summary = read(dir.resolve("metrics.jsonl")).stream().filter(n -> n.has("api/prompt_tokens")).findFirst().orElseThrow();
      assertEquals(3L * okIds.size(), summary.findValue("api/prompt_tokens").asLong());
      assertEquals(8L * okIds.size(), summary.findValue("api/completion_tokens").asLong());
    }
  }

  @Test
  void aKilledCallerResumesWithoutDuplicatesOrLosses() throws Exception {
    try (FaultyServer s = new FaultyServer((p, a) -> Fault.OK)) {
      s.answerDelayMillis = 150;
      Path dir = tmp.resolve("run");
      Path samples = dir.resolve("samples.jsonl");
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), ApiCallerMain.class.getName()));
      cmd.addAll(args(s.baseUrl(), dir, "sample.limit=40", "api.caller.client.concurrency=2"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
      long deadline = System.currentTimeMillis() + 60_000;
      while ((!Files.exists(samples) || Files.readAllLines(samples).size() < 6) && System.currentTimeMillis() < deadline) {
        assertTrue(p.isAlive(), "the caller ended early: " + Files.readString(tmp.resolve("child.log")));
        Thread.sleep(20);
      }
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      int before = Files.readAllLines(samples).size();
      assertTrue(before >= 6 && before < 40, "killed after " + before + " records");
      s.answerDelayMillis = 0;
      assertEquals(0, run(args(s.baseUrl(), dir, "sample.limit=40", "api.caller.client.concurrency=2")), err.toString(StandardCharsets.UTF_8));
      List<JsonNode> rows = read(samples);
      Set<String> ids = new HashSet<>();
      rows.forEach(r -> ids.add(r.get("id").asText()));
      assertEquals(40, rows.size(), "records after resume");
      assertEquals(40, ids.size(), "duplicate ids after resume");
      assertTrue(s.totalRequests() < 40 + 4, "resume re-requested finished items: " + s.totalRequests() + " requests");
    }
  }

  @Test
  void anUnreachableServerIsAUserErrorNamingTheFix() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> a = new ArrayList<>(args("http://127.0.0.1:" + port + "/v1", tmp.resolve("run"), "api.caller.client.max_retries=0"));
    a.removeIf(x -> x.startsWith("api.caller.model="));
    assertEquals(2, run(a));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("GET /models") && e.contains("connection error") && e.contains("api.caller.model"), e);
    assertFalse(e.contains("\tat "), "a user error must not print a stack trace: " + e);
  }
}
