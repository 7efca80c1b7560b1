package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.api.server.TinyServing;
import dev.stepwise.cli.CliIo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sampler.jar job=serve} serving a real (tiny, random) checkpoint, {@code api-caller.jar
 * job=sample} against it, and {@code sampler.jar job=sample} on the same checkpoint: the two
 * samples files have the same ids, prompts, labels, field names and shapes; with greedy decoding
 * they hold the same responses. Then {@code job=judge} scores the API samples through the same
 * server.
 */
class ApiServeRoundTripTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static CliIo io(ByteArrayOutputStream out, ByteArrayOutputStream err) {
    return new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), new HashMap<>(System.getenv()), ROOT);
  }

  static List<JsonNode> read(Path f) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      rows.add(JSON.readTree(line));
    }
    return rows;
  }

  static List<String> fields(JsonNode n) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  @Test
  void callerAgainstTheServerWritesWhatTheSamplerWrites() throws Exception {
    Path ckpt = tmp.resolve("ckpt");
    try (TinyServing tiny = new TinyServing(11)) {
      tiny.save(ckpt);
    }
    ByteArrayOutputStream serveOut = new ByteArrayOutputStream();
    ByteArrayOutputStream serveErr = new ByteArrayOutputStream();
    CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> SamplerMain.run(new String[] {
        "-cp", ROOT.resolve("conf/exp/serve/arith").toString(), "-cn", "tiny_serve", "run.dir=" + tmp.resolve("serve"),
        "serve.model_path=" + ckpt, "serve.max_seconds=300", "api.server.port=0", "api.server.model_name=tiny"}, io(serveOut, serveErr)));
    String url = null;
    long deadline = System.currentTimeMillis() + 20_000;
    Path urlFile = tmp.resolve("serve").resolve(dev.stepwise.caller.ServeJob.URL_FILE);
    while (url == null && System.currentTimeMillis() < deadline) {
      assertFalse(server.isDone(), "server ended: " + serveErr.toString(StandardCharsets.UTF_8));
      url = Files.exists(urlFile) && Files.readString(urlFile).endsWith("\n") ? Files.readString(urlFile).trim() : null;
      Thread.sleep(20);
    }
    assertNotNull(url, "no " + urlFile);
    List<String> common = List.of("sample.limit=6", "api.vllm_params.temperature=0", "api.vllm_params.n=2", "api.vllm_params.max_tokens=20", "tracker=[jsonl]");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> api = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sample/arith").toString(), "-cn", "tiny_api_sample",
        "run.dir=" + tmp.resolve("api"), "api.caller.client.base_urls=[\"" + url + "\"]"));
    api.addAll(common);
    assertEquals(0, ApiCallerMain.run(api.toArray(String[]::new), io(out, err)), err.toString(StandardCharsets.UTF_8));
    List<String> local = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sample/arith").toString(), "-cn", "tiny_sample",
        "run.dir=" + tmp.resolve("local"), "sample.model_path=" + ckpt));
    local.addAll(common);
    assertEquals(0, SamplerMain.run(local.toArray(String[]::new), io(out, err)), err.toString(StandardCharsets.UTF_8));

    Map<String, JsonNode> viaApi = new HashMap<>();
    read(tmp.resolve("api/samples.jsonl")).forEach(r -> viaApi.put(r.get("id").asText(), r));
    List<JsonNode> viaSampler = read(tmp.resolve("local/samples.jsonl"));
    assertEquals(6, viaSampler.size());
    assertEquals(6, viaApi.size());
    for (JsonNode s : viaSampler) {
      JsonNode a = viaApi.get(s.get("id").asText());
      assertNotNull(a, "missing " + s.get("id"));
      assertEquals(fields(s), fields(a));
      for (String f : List.of("prompt", "label", "response", "pred")) {
        assertEquals(s.get(f), a.get(f), f + " of " + s.get("id"));
      }
    }
    assertEquals(0, Files.size(tmp.resolve("api/failed.jsonl")));

    // judge the API samples through the same server, with a template short enough for the tiny
    // model's context (a random model rarely writes "Score: N", so scores may be null)
    Path template = tmp.resolve("judge.txt");
    Files.writeString(template, "Rate: {response}\nScore:");
    List<String> judge = List.of("judge.template_file=" + template, "-cp", ROOT.resolve("conf/exp/judge").toString(), "-cn", "self_rewarding", "run.dir=" + tmp.resolve("judge"),
        "judge.input_file=" + tmp.resolve("api/samples.jsonl"), "api.caller.client.base_urls=[\"" + url + "\"]",
        "api.vllm_params.max_tokens=8", "tracker=[jsonl]");
    assertEquals(0, ApiCallerMain.run(judge.toArray(String[]::new), io(out, err)), err.toString(StandardCharsets.UTF_8));
    List<JsonNode> judged = read(tmp.resolve("judge/judged.jsonl"));
    assertEquals(6, judged.size());
    for (JsonNode j : judged) {
      assertEquals(2, j.get("judge_scores").size());
      assertEquals(2, j.get("judge_outputs").size());
      assertEquals(viaApi.get(j.get("id").asText()).get("response"), j.get("response"));
    }
    // the server keeps serving (it stops after serve.max_seconds, on a daemon thread); it must not have failed
    assertTrue(!server.isDone() || server.join() == 0, serveErr.toString(StandardCharsets.UTF_8));
  }
}
