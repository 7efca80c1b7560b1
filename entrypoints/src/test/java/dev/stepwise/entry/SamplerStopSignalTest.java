package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampling job ({@code SamplerMain}, the repository's {@code tiny_sample}, a random tiny
 * GPT-2) in child JVMs on one output file: stopped by SIGTERM once it has written records (exit
 * 143, the file ends at a batch boundary: whole batches of two records, every line complete),
 * then by SIGTERM and SIGINT at once (the second signal exits at once: 130, still no cut line),
 * then re-run to the end: every problem exactly once, none lost, none duplicated, no native
 * crash report in any run.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class SamplerStopSignalTest {
  static final int PROBLEMS = 24;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  ChildJob start(String name, Path out) throws Exception {
    return ChildJob.start(tmp.resolve("cwd"), name, SamplerMain.class, true, List.of(
        "-cp", ChildJob.ROOT.resolve("conf/exp/sample/arith").toString(), "-cn", "tiny_sample",
        "sample.model_path=" + tmp.resolve("ckpt"), "sample.output_file=" + out, "sample.limit=" + PROBLEMS,
        "sample.batch_size=2", "sample.greedy=false", "api.vllm_params.max_tokens=32", "run.num_threads=1",
        "run.dir=" + tmp.resolve("run-" + name)));
  }

  static List<JsonNode> records(Path f) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(f)) {
      return out;
    }
    byte[] bytes = Files.readAllBytes(f);
    assertTrue(bytes.length == 0 || bytes[bytes.length - 1] == '\n', "a cut last line in " + f);
    for (String line : Files.readAllLines(f)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  static long lines(Path f) {
    try {
      return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void stoppedTwiceThenReRunHoldsEveryProblemOnce() throws Exception {
    CharTokenizer tok = CharTokenizer.ascii();
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 32, 1, 2, 512, 0, 1e-5, 0.02), m, 9);
      ModelCheckpoint.save(tmp.resolve("ckpt"), model, tok);
    }
    Path out = tmp.resolve("samples.jsonl");

    ChildJob clean = start("term", out);
    clean.await("4 records", () -> lines(out) >= 4);
    clean.signal("TERM");
    assertEquals(143, clean.exit(), clean.output());
    clean.assertNoCrashReport();
    assertTrue(clean.output().contains("Stopped: stopped by SIGTERM after"), clean.output());
    int first = records(out).size();
    assertTrue(first < PROBLEMS, "ended before the stop: " + first);
    assertEquals(0, first % 2, "the stop was not at a batch boundary: " + first + " records");

    ChildJob twice = start("twice", out);
    twice.await("new records", () -> lines(out) >= first + 2);
    twice.signal("TERM");
    twice.signal("INT"); // a second, different signal: exit at once
    assertEquals(130, twice.exit(), twice.output());
    twice.assertNoCrashReport();
    int second = records(out).size(); // every line complete

    ChildJob rest = start("rest", out);
    assertEquals(0, rest.exit(), rest.output());
    rest.assertNoCrashReport();
    List<JsonNode> all = records(out);
    Set<String> ids = new HashSet<>();
    for (JsonNode r : all) {
      assertTrue(ids.add(r.get("id").asText()), "duplicate record " + r.get("id"));
      assertEquals(4, r.get("response").size(), r.toString());
    }
    assertEquals(PROBLEMS, all.size(), "lost records");
    System.out.printf("[SamplerStopSignalTest] stopped at %d, then %d of %d records%n", first, second, PROBLEMS);
  }
}
