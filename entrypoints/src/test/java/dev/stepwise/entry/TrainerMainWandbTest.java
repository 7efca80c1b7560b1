package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import dev.stepwise.cli.CliIo;
import dev.stepwise.run.wandb.WandbFileReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short arith SFT run through {@link TrainerMain#run} with the console, jsonl and wandb trackers:
 * the {@code .wandb} file, decoded by the independent test reader, holds exactly the resolved
 * config ({@code config.conf}), every row of {@code metrics.jsonl} and the summary.
 */
class TrainerMainWandbTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** The HF WandbCallback key rule, restated for the test. */
  static String key(String k) {
    if (k.startsWith("eval_")) return "eval/" + k.substring(5);
    if (k.startsWith("test_")) return "test/" + k.substring(5);
    return k.contains("/") ? k : "train/" + k;
  }

  static void assertSameJson(String what, JsonNode expected, String actualJson) throws Exception {
    JsonNode actual = JSON.readTree(actualJson);
    if (expected.isNumber() && actual.isNumber()) {
      assertEquals(expected.doubleValue(), actual.doubleValue(), what);
    } else {
      assertEquals(expected, actual, what);
    }
  }

  @Test
  void tinySftRunLeavesAnOfflineRunThatDecodesToConfigHistoryAndSummary() throws Exception {
    Path dir = tmp.resolve("run");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>(System.getenv());
    CliIo io = new CliIo(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env, ROOT);
    String[] args = {
      "-cp", ROOT.resolve("conf/exp/sft/arith").toString(), "-cn", "tiny_sft",
      "run.dir=" + dir,
      "tracker=[console,jsonl,wandb]",
      "tracker.wandb.project=stepwise-e2e",
      "tracker.wandb.name=tiny-sft",
      "tracker.wandb.group=ci",
      "tracker.wandb.tags=[arith,sft]",
      "model.n_embd=32", "model.n_layer=1", "model.n_head=2", "model.n_positions=256",
      "task.max_steps=1", "task.num_train=200", "task.num_test=20",
      "trainer.max_steps=20", "trainer.logging_steps=5", "trainer.eval_steps=10", "trainer.save_steps=20",
      "trainer.progress_bar=false", "optim.lr=3e-3",
      "eval.num_problems=4", "eval.max_tokens=48", "test.num_problems=4"
    };
    assertEquals(0, TrainerMain.run(args, io), err.toString(StandardCharsets.UTF_8));

    Path runDir;
    try (Stream<Path> s = Files.list(dir.resolve("wandb"))) {
      List<Path> runs = s.toList();
      assertEquals(1, runs.size(), runs.toString());
      runDir = runs.get(0);
    }
    String id = runDir.getFileName().toString().replaceAll(".*-", "");
    assertTrue(id.matches("[a-z0-9]{8}"), id);
    assertTrue(Files.isDirectory(runDir.resolve("files")));
    WandbFileReader.Decoded d = WandbFileReader.decode(runDir.resolve("run-" + id + ".wandb"));
    assertFalse(d.truncated());
    int n = d.history().size();
    assertEquals("header", d.kinds().get(0));
    assertEquals("run", d.kinds().get(1));
    assertEquals("config", d.kinds().get(2));
    assertEquals(List.of("summary", "exit", "final"), d.kinds().subList(3 + n, d.kinds().size()));
    assertEquals(0, d.exitCode());
    assertEquals(id, d.run().runId());
    assertEquals("stepwise-e2e", d.run().project());
    assertEquals("tiny-sft", d.run().displayName());
    assertEquals("ci", d.run().group());
    assertEquals(List.of("arith", "sft"), d.run().tags());

    // config: every leaf of the resolved config.conf, by dotted path
    Config resolved = ConfigFactory.parseFile(dir.resolve("config.conf").toFile()).resolve();
    int leaves = 0;
    for (Map.Entry<String, ConfigValue> e : resolved.entrySet()) {
      String path = e.getKey();
      assertTrue(d.config().containsKey(path), "config lacks " + path);
      assertSameJson(path, JSON.valueToTree(e.getValue().unwrapped()), d.config().get(path));
      leaves++;
    }
    for (Map.Entry<String, String> e : d.config().entrySet()) {
      if (!resolved.hasPath(e.getKey())) {
        assertTrue(e.getValue().equals("null") || e.getValue().equals("{}"), e.getKey() + " = " + e.getValue());
      }
    }
    assertTrue(leaves > 30, "config leaves: " + leaves);
    assertEquals(d.config(), d.run().config());
    assertSameJson("optim.lr", JSON.valueToTree(3e-3), d.config().get("optim.lr"));

    // history: metrics.jsonl rows merged by step, keys rewritten
    TreeMap<Long, Map<String, JsonNode>> byStep = new TreeMap<>();
    Map<String, JsonNode> explicit = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
      JsonNode row = JSON.readTree(line);
      Map<String, JsonNode> target =
          row.has("summary") ? explicit : byStep.computeIfAbsent(row.get("step").asLong(), k -> new LinkedHashMap<>());
      for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!List.of("step", "timestamp", "summary").contains(f.getKey())) {
          target.put(key(f.getKey()), f.getValue());
        }
      }
    }
    assertEquals(new ArrayList<>(byStep.keySet()), d.historySteps());
    assertEquals(List.of(5L, 10L, 15L, 20L), d.historySteps());
    Map<String, String> last = new LinkedHashMap<>();
    Map<String, Double> best = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<Long, Map<String, JsonNode>> e : byStep.entrySet()) {
      Map<String, String> row = d.history().get(i++);
      assertEquals(String.valueOf(e.getKey()), row.get("_step"));
      assertEquals(String.valueOf(e.getKey()), row.get("train/global_step"));
      assertTrue(row.containsKey("_runtime") && row.containsKey("_timestamp"));
      assertEquals(e.getValue().size() + 4, row.size(), "row " + row.keySet());
      for (Map.Entry<String, JsonNode> m : e.getValue().entrySet()) {
        assertTrue(row.containsKey(m.getKey()), "step " + e.getKey() + " lacks " + m.getKey() + ": " + row.keySet());
        assertSameJson(m.getKey(), m.getValue(), row.get(m.getKey()));
      }
      last.putAll(row);
    }
    assertTrue(d.history().get(1).containsKey("eval/accuracy"), "eval at step 10 merged into its row");
    assertTrue(d.history().get(0).containsKey("train/loss") && d.history().get(0).containsKey("train/learning_rate"));
    for (Map<String, String> row : d.history()) {
      for (String k : List.of("eval/accuracy", "eval/loss")) {
        if (row.containsKey(k)) {
          double v = Double.parseDouble(row.get(k));
          best.merge(k, v, k.endsWith("loss") ? Math::min : Math::max);
        }
      }
    }

    // summary: last values, best eval values, then the jobs' summary values
    Map<String, String> sum = d.summary();
    for (Map.Entry<String, String> e : last.entrySet()) {
      if (!explicit.containsKey(e.getKey())) {
        assertEquals(e.getValue(), sum.get(e.getKey()), "summary " + e.getKey());
      }
    }
    assertFalse(best.isEmpty());
    best.forEach((k, v) -> assertEquals(v, Double.parseDouble(sum.get("best/" + k)), "best/" + k));
    for (Map.Entry<String, JsonNode> e : explicit.entrySet()) {
      assertSameJson("summary " + e.getKey(), e.getValue(), sum.get(e.getKey()));
    }
    assertTrue(explicit.containsKey("test/accuracy"));
    assertEquals(last.size() + explicit.keySet().stream().filter(k -> !last.containsKey(k)).count() + best.size(),
        sum.size(),
        "summary keys " + sum.keySet());
  }
}
