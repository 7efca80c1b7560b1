package dev.stepwise.entry;

import static dev.stepwise.entry.ApiServeRoundTripTest.ROOT;
import static dev.stepwise.entry.ApiServeRoundTripTest.fields;
import static dev.stepwise.entry.ApiServeRoundTripTest.io;
import static dev.stepwise.entry.ApiServeRoundTripTest.read;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.api.server.TinyServing;
import dev.stepwise.reward.synth.RolloutRunner;
import dev.stepwise.sample.SampleRecord;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sampler.jar job=states} -> {@code api-caller.jar job=rollouts} against {@code sampler.jar
 * job=serve} on a real (tiny, random) checkpoint, compared with the local {@code sampler.jar
 * job=rollouts} on the same checkpoint and states: same record fields, one record per state plus
 * the full records, values in 0..k with {@code mc_value = value / k}, and with greedy decoding the
 * same completions and values. A first run against a dead server records every state in {@code
 * failed.jsonl}; the next run completes them; a further run appends nothing.
 */
class ApiRolloutsRoundTripTest {
  static final ObjectMapper OM = new ObjectMapper();
  static final List<String> RECORD_FIELDS = List.of("id", "prompt", "label", "resp_id", "step_id", "state", "type", "completions", "value", "mc_value");
  @TempDir Path tmp;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int caller(String... args) {
    out.reset();
    err.reset();
    List<String> a = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sample/arith").toString(), "-cn", "tiny_api_rollouts", "tracker=[jsonl]"));
    a.addAll(List.of(args));
    return ApiCallerMain.run(a.toArray(String[]::new), io(out, err));
  }

  int sampler(String config, String... args) {
    out.reset();
    err.reset();
    List<String> a = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sample/arith").toString(), "-cn", config, "run.num_threads=1", "tracker=[jsonl]"));
    a.addAll(List.of(args));
    return SamplerMain.run(a.toArray(String[]::new), io(out, err));
  }

  static String key(JsonNode r) {
    return r.get("id").asText() + "/" + r.get("resp_id").asInt() + "/" + r.get("step_id").asInt() + "/" + r.get("type").asText();
  }

  @Test
  void apiRolloutsWriteWhatTheLocalJobWritesAndResume() throws Exception {
    Path ckpt = tmp.resolve("ckpt");
    try (TinyServing tiny = new TinyServing(11)) {
      tiny.save(ckpt);
    }
    // hand-written multi-step responses (a random model rarely writes newlines), 5 problems x 2
    Path samples = tmp.resolve("samples.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String a = "a has " + i + " apples\nb gets 2 more\nso " + (i + 2) + "\n#### " + (i + 2);
      lines.add(OM.writeValueAsString(new SampleRecord("arith-test-" + i, "Question: q" + i + "\nAnswer:\n", String.valueOf(i + 2),
          List.of(a, "x\n#### 1"), List.of(String.valueOf(i + 2), "1"))));
    }
    Files.write(samples, lines);
    Path states = tmp.resolve("states.jsonl");
    assertEquals(0, sampler("tiny_states", "run.dir=" + tmp.resolve("states"), "states.input_file=" + samples, "states.output_file=" + states),
        err.toString(StandardCharsets.UTF_8));
    int nStates = read(states).size();
    assertTrue(nStates >= 10, "states: " + nStates);

    ByteArrayOutputStream serveOut = new ByteArrayOutputStream();
    ByteArrayOutputStream serveErr = new ByteArrayOutputStream();
    CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> SamplerMain.run(new String[] {
        "-cp", ROOT.resolve("conf/exp/serve/arith").toString(), "-cn", "tiny_serve", "run.dir=" + tmp.resolve("serve"),
        "serve.model_path=" + ckpt, "serve.max_seconds=300", "api.server.port=0", "api.server.model_name=tiny"}, io(serveOut, serveErr)));
    Path urlFile = tmp.resolve("serve").resolve(dev.stepwise.caller.ServeJob.URL_FILE);
    String url = null;
    long deadline = System.currentTimeMillis() + 20_000;
    while (url == null && System.currentTimeMillis() < deadline) {
      assertFalse(server.isDone(), "server ended: " + serveErr.toString(StandardCharsets.UTF_8));
      url = Files.exists(urlFile) && Files.readString(urlFile).endsWith("\n") ? Files.readString(urlFile).trim() : null;
      Thread.sleep(20);
    }
    assertNotNull(url, "no " + urlFile);

    int k = 3;
    List<String> common = List.of("rollouts.states_file=" + states, "rollouts.samples_file=" + samples,
        "api.vllm_params.n=" + k, "api.vllm_params.temperature=0", "api.vllm_params.max_tokens=8");
    Path apiOut = tmp.resolve("api/rollouts.jsonl");
    Path failed = tmp.resolve("api/failed.jsonl");

    // 1. a dead server: every state fails (no retries) and is recorded; only the full records are written
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    List<String> dead = new ArrayList<>(common);
    dead.addAll(List.of("run.dir=" + tmp.resolve("api-dead"), "rollouts.output_file=" + apiOut, "api.caller.model=tiny",
        "api.caller.client.base_urls=[\"http://127.0.0.1:" + deadPort + "/v1\"]", "api.caller.client.max_retries=0"));
    assertEquals(0, caller(dead.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
    assertEquals(10, read(apiOut).size());
    List<JsonNode> fails = read(failed);
    assertEquals(nStates, fails.size());
    Set<String> failedIds = new HashSet<>();
    for (JsonNode f : fails) {
      assertTrue(f.get("reason").asText().toLowerCase().contains("connect"), f.toString());
      failedIds.add(f.get("id").asText());
    }
    assertEquals(nStates, failedIds.size());

    // 2. the live server: the failed states are rolled out
    List<String> live = new ArrayList<>(common);
    live.addAll(List.of("run.dir=" + tmp.resolve("api"), "api.caller.client.base_urls=[\"" + url + "\"]"));
    assertEquals(0, caller(live.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
    List<JsonNode> viaApi = read(apiOut);
    int dropped = RolloutRunner.droppedCount(apiOut); // states with an empty rollout (issue 20)
    assertEquals(nStates + 10, viaApi.size() + dropped);
    assertEquals(nStates, read(failed).size(), "no new failure");

    // 3. the local job on the same checkpoint and states
    Path localOut = tmp.resolve("local/rollouts.jsonl");
    List<String> local = new ArrayList<>(common);
    local.addAll(List.of("run.dir=" + tmp.resolve("local"), "rollouts.model_path=" + ckpt, "rollouts.batch_size=4"));
    assertEquals(0, sampler("tiny_rollouts", local.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
    Map<String, JsonNode> viaLocal = new HashMap<>();
    read(localOut).forEach(r -> viaLocal.put(key(r), r));
    assertEquals(nStates + 10, viaLocal.size());

    int full = 0;
    Set<String> seen = new HashSet<>();
    for (JsonNode r : viaApi) {
      assertEquals(RECORD_FIELDS, fields(r));
      assertTrue(seen.add(key(r)), "duplicate " + key(r));
      int v = r.get("value").asInt();
      assertTrue(v >= 0 && v <= k, r.toString());
      if (r.get("type").asText().equals("full")) {
        full++;
        assertEquals(v == k ? 1.0 : 0.0, r.get("mc_value").asDouble());
      } else {
        assertEquals("inter", r.get("type").asText());
        assertEquals(k, r.get("completions").size());
        assertEquals(v / (double) k, r.get("mc_value").asDouble(), 1e-12);
        assertTrue(failedIds.contains(r.get("id").asText() + "/" + r.get("resp_id").asInt() + "/" + r.get("step_id").asInt()), r.toString());
      }
      JsonNode l = viaLocal.get(key(r));
      assertNotNull(l, "not in the local output: " + key(r));
      for (String f : RECORD_FIELDS) {
        assertEquals(l.get(f), r.get(f), f + " of " + key(r));
      }
    }
    assertEquals(10, full);

    // 4. a re-run appends nothing
    assertEquals(0, caller(live.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
    assertEquals(viaApi.size(), read(apiOut).size());
    List<String> metrics = Files.readAllLines(tmp.resolve("api/metrics.jsonl"));
    String last = metrics.get(metrics.size() - 1);
    assertTrue(last.contains("\"rollouts/generated\":0") && last.contains("\"rollouts/states\":" + (nStates - dropped)), last);
    assertTrue(!server.isDone() || server.join() == 0, serveErr.toString(StandardCharsets.UTF_8));
  }
}
