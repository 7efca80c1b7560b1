package dev.stepwise.run.wandb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.run.JsonlTracker;
import dev.stepwise.run.MetricJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NaN and ±Infinity metrics are written as W&amp;B's own writer writes them: bare JSON numbers in
 * the {@code value_json} of history and summary items (read back from the {@code .wandb} file by
 * the independent {@link WandbFileReader}), and the same tokens in {@code metrics.jsonl}, which
 * the project's JSONL reader reads back as numbers.
 */
class WandbNonFiniteTest {
  @TempDir Path tmp;

  static Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loss", Double.NaN);
    m.put("grad_norm", Double.POSITIVE_INFINITY);
    m.put("rewards/margins", Double.NEGATIVE_INFINITY);
    m.put("learning_rate", 1e-4);
    return m;
  }

  @Test
  void wandbHistoryAndSummaryHoldBareNonFiniteNumbers() throws Exception {
    WandbTracker t = WandbTracker.open(tmp, WandbTrackerTest.config());
    t.log(1, metrics());
    t.log(2, Map.of("eval/loss", Double.NaN, "eval/accuracy", Float.POSITIVE_INFINITY));
    t.summary(Map.of("train_loss", Double.NaN));
    t.close();

    WandbFileReader.Decoded d = WandbFileReader.decode(t.file());
    Map<String, String> row = d.history().get(0);
    assertEquals("NaN", row.get("train/loss"));
    assertEquals("Infinity", row.get("train/grad_norm"));
    assertEquals("-Infinity", row.get("rewards/margins"));
    assertEquals("NaN", d.history().get(1).get("eval/loss"));
    assertEquals("Infinity", d.history().get(1).get("eval/accuracy"));
    assertEquals("NaN", d.summary().get("train/train_loss"), d.summary().toString());
    for (String v : List.of(row.get("train/loss"), row.get("train/grad_norm"), row.get("rewards/margins"))) {
      JsonNode n = MetricJson.MAPPER.readTree(v);
      assertTrue(n.isNumber(), v + " read back as " + n.getNodeType());
    }
    assertTrue(Double.isNaN(MetricJson.MAPPER.readTree(row.get("train/loss")).asDouble()));
    assertEquals(Double.NEGATIVE_INFINITY, MetricJson.MAPPER.readTree(row.get("rewards/margins")).asDouble());
    // a NaN eval loss is no best value; the infinite accuracy is
    assertTrue(!d.summary().containsKey("best/eval/loss"), d.summary().toString());
  }

  @Test
  void metricsJsonlHoldsTheSameTokensAndReadsBackAsNumbers() throws Exception {
    Path file = tmp.resolve("metrics.jsonl");
    try (JsonlTracker t = new JsonlTracker(file)) {
      t.log(3, metrics());
      t.summary(Map.of("train_loss", Double.POSITIVE_INFINITY));
    }
    List<String> lines = Files.readAllLines(file);
    assertTrue(lines.get(0).contains("\"loss\":NaN,\"grad_norm\":Infinity,\"rewards/margins\":-Infinity,"), lines.get(0));
    assertTrue(lines.get(1).endsWith("\"train_loss\":Infinity}"), lines.get(1));
    List<JsonNode> back = JsonlReader.readAll(file);
    assertTrue(back.get(0).get("loss").isNumber() && Double.isNaN(back.get(0).get("loss").asDouble()));
    assertEquals(Double.POSITIVE_INFINITY, back.get(0).get("grad_norm").asDouble());
    assertEquals(Double.NEGATIVE_INFINITY, back.get(0).get("rewards/margins").asDouble());
    assertEquals(1e-4, back.get(0).get("learning_rate").asDouble());
  }
}
