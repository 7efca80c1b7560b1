package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.api.FaultyServer;
import dev.stepwise.api.FaultyServer.Fault;
import dev.stepwise.cli.CliIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code api-caller.jar job=sample} in a child JVM against a slow OpenAI stand-in server, sent
 * SIGTERM once it has written records: it sends nothing more, writes the answers of the requests
 * in flight (every request the server answered becomes a record: none lost), exits with 143
 * without a crash report; the re-run completes the file with every problem once and requests
 * nothing twice.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ApiCallerStopSignalTest {
  @TempDir Path tmp;

  @Test
  void sigtermFinishesTheRequestsInFlightThenTheReRunCompletes() throws Exception {
    try (FaultyServer s = new FaultyServer((p, a) -> Fault.OK)) {
      s.answerDelayMillis = 100;
      Path dir = tmp.resolve("run");
      Path samples = dir.resolve("samples.jsonl");
      List<String> args = ApiCallerMainTest.args(s.baseUrl(), dir, "sample.limit=30", "api.caller.client.concurrency=3");
      ChildJob caller = ChildJob.start(tmp.resolve("cwd"), "caller", ApiCallerMain.class, false, args);
      caller.await("4 records", () -> SamplerStopSignalTest.lines(samples) >= 4);
      caller.signal("TERM");
      assertEquals(143, caller.exit(), caller.output());
      caller.assertNoCrashReport();
      assertTrue(caller.output().contains("Stopped: stopped by SIGTERM after"), caller.output());
      List<JsonNode> first = SamplerStopSignalTest.records(samples);
      assertTrue(first.size() < 30, "ended before the stop: " + first.size());
      assertEquals(s.totalRequests(), first.size(), "an answered request was not written");

      ByteArrayOutputStream out = new ByteArrayOutputStream(); // the re-run in this JVM (no engine)
      PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
      assertEquals(0, ApiCallerMain.run(args.toArray(String[]::new), new CliIo(ps, ps, System.getenv(), ChildJob.ROOT)),
          out.toString(StandardCharsets.UTF_8));
      List<JsonNode> all = SamplerStopSignalTest.records(samples);
      Set<String> ids = new HashSet<>();
      all.forEach(r -> assertTrue(ids.add(r.get("id").asText()), "duplicate " + r.get("id")));
      assertEquals(30, all.size(), "lost records");
      assertEquals(30, s.totalRequests(), "a finished item was requested again");
      assertEquals(0, Files.size(dir.resolve("failed.jsonl")));
    }
  }
}
