package dev.stepwise.run.wandb;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code wandb} tracker's files, decoded by the independent {@link WandbFileReader}. */
class WandbTrackerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static Config config() {
    return ConfigFactory.parseString(
            "seed = 7\noptim { lr = 3e-4, name = adamw, betas = [0.9, 0.95] }\nmodel.n_layer = 2\n"
                + "nothing = null\nempty {}\n"
                + "tracker.wandb { project = proj, entity = team, name = tiny, group = g1, tags = [a, b], notes = \"n o\", dir = null }")
        .resolve();
  }

  static double d(String json) throws Exception {
    return JSON.readTree(json).asDouble();
  }

  @Test
  void writesHeaderRunConfigHistorySummaryExitFinalInOrder() throws Exception {
    long before = System.currentTimeMillis() / 1000;
    WandbTracker t = WandbTracker.open(tmp, config());
    t.log(1, Map.of("loss", 2.5, "learning_rate", 1e-4));
    t.log(2, Map.of("loss", 2.0, "learning_rate", 2e-4));
    t.log(2, Map.of("eval/accuracy", 0.5, "eval/loss", 1.0, "epoch", 0.5));
    t.log(3, Map.of("loss", 1.5, "rewards/chosen", -0.25));
    t.log(4, Map.of("loss", 1.25));
    t.log(4, Map.of("eval_accuracy", 0.4, "eval_loss", 0.75, "eval/num_problems", 8.0));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("test/accuracy", 0.7);
    s.put("checkpoint", "ckpt/checkpoint-4");
    t.summary(s);
    t.close();
    t.close(); // idempotent

    assertTrue(t.dir().getFileName().toString().matches("offline-run-\\d{8}_\\d{6}-[a-z0-9]{8}"), t.dir().toString());
    assertEquals(tmp.resolve("wandb"), t.dir().getParent());
    assertEquals("run-" + t.id() + ".wandb", t.file().getFileName().toString());
    assertTrue(Files.isDirectory(t.dir().resolve("files")));
    try (Stream<Path> files = Files.list(t.dir().resolve("files"))) {
      assertEquals(0, files.count());
    }

    WandbFileReader.Decoded d = WandbFileReader.decode(t.file());
    assertEquals(List.of("header", "run", "config", "history", "history", "history", "history", "summary", "exit", "final"), d.kinds());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), d.nums());
    assertFalse(d.truncated());

    WandbFileReader.Run run = d.run();
    assertEquals(t.id(), run.runId());
    assertEquals("proj", run.project());
    assertEquals("team", run.entity());
    assertEquals("tiny", run.displayName());
    assertEquals("g1", run.group());
    assertEquals("n o", run.notes());
    assertEquals(List.of("a", "b"), run.tags());
    assertTrue(Math.abs(run.startSeconds() - before) <= 2, "start " + run.startSeconds());

    Map<String, String> cfg = Map.ofEntries(
        Map.entry("seed", "7"), Map.entry("optim.lr", "3.0E-4"), Map.entry("optim.name", "\"adamw\""),
        Map.entry("optim.betas", "[0.9,0.95]"), Map.entry("model.n_layer", "2"), Map.entry("nothing", "null"),
        Map.entry("empty", "{}"), Map.entry("tracker.wandb.project", "\"proj\""),
        Map.entry("tracker.wandb.entity", "\"team\""), Map.entry("tracker.wandb.name", "\"tiny\""),
        Map.entry("tracker.wandb.group", "\"g1\""), Map.entry("tracker.wandb.tags", "[\"a\",\"b\"]"),
        Map.entry("tracker.wandb.notes", "\"n o\""), Map.entry("tracker.wandb.dir", "null"));
    assertEquals(cfg, d.config());
    assertEquals(cfg, run.config());
    assertEquals(3e-4, d(d.config().get("optim.lr")));

    assertEquals(List.of(1L, 2L, 3L, 4L), d.historySteps());
    List<Map<String, String>> h = d.history();
    for (int i = 0; i < 4; i++) {
      Map<String, String> row = h.get(i);
      assertEquals(List.of("_step", "_runtime", "_timestamp", "train/global_step"), List.copyOf(row.keySet()).subList(0, 4));
      assertEquals(String.valueOf(i + 1), row.get("_step"));
      assertEquals(String.valueOf(i + 1), row.get("train/global_step"));
      assertTrue(Math.abs(d(row.get("_timestamp")) - before) <= 5);
      assertTrue(d(row.get("_runtime")) >= 0 && d(row.get("_runtime")) < 60);
      if (i > 0) {
        assertTrue(d(row.get("_runtime")) >= d(h.get(i - 1).get("_runtime")));
      }
    }
    assertEquals(2.5, d(h.get(0).get("train/loss")));
    assertEquals(1e-4, d(h.get(0).get("train/learning_rate")));
    assertEquals(6, h.get(0).size());
    // step 2: train and eval metrics merged into one row
    assertEquals(2.0, d(h.get(1).get("train/loss")));
    assertEquals(0.5, d(h.get(1).get("eval/accuracy")));
    assertEquals(1.0, d(h.get(1).get("eval/loss")));
    assertEquals(0.5, d(h.get(1).get("train/epoch")));
    assertEquals(-0.25, d(h.get(2).get("rewards/chosen")));
    assertEquals(0.4, d(h.get(3).get("eval/accuracy")));
    assertEquals(0.75, d(h.get(3).get("eval/loss")));

    Map<String, String> sum = d.summary();
    assertEquals(1.25, d(sum.get("train/loss")));
    assertEquals(-0.25, d(sum.get("rewards/chosen")));
    assertEquals(0.4, d(sum.get("eval/accuracy")));
    assertEquals(0.5, d(sum.get("best/eval/accuracy")), "best accuracy is the maximum");
    assertEquals(0.75, d(sum.get("best/eval/loss")), "best loss is the minimum");
    assertFalse(sum.containsKey("best/eval/num_problems"), "counts get no best value");
    assertEquals("4", sum.get("_step"));
    assertEquals(h.get(3).get("_runtime"), sum.get("_runtime"));
    assertEquals(0.7, d(sum.get("test/accuracy")));
    assertEquals("\"ckpt/checkpoint-4\"", sum.get("train/checkpoint"));
    assertEquals(0, d.exitCode());
  }

  @Test
  void aFailedRunExitsNonZeroAndStepsGoingBackwardsAreDropped() throws Exception {
    WandbTracker t = WandbTracker.open(tmp, WandbSettings.defaults(), Map.of("a", "1"));
    t.log(5, Map.of("loss", 1.0));
    t.log(3, Map.of("loss", 9.0));
    t.log(6, Map.of("loss", 0.5));
    t.log(6, Map.of("loss", 0.25));
    t.fail(new IllegalStateException("boom"));
    t.close();
    WandbFileReader.Decoded d = WandbFileReader.decode(t.file());
    assertEquals(List.of(5L, 6L), d.historySteps());
    assertEquals(0.25, d(d.history().get(1).get("train/loss")), "a later value at the same step wins");
    assertEquals(1, d.exitCode());
    assertEquals("stepwise", d.run().project());
    assertNull(d.run().entity());
    assertEquals(List.of(), d.run().tags());
    assertThrows(IllegalStateException.class, () -> t.log(7, Map.of("loss", 1.0)));

    WandbTracker u = WandbTracker.open(tmp.resolve("u"), WandbSettings.defaults(), Map.of());
    u.fail(new UserError("bad key"));
    u.close();
    assertEquals(2, WandbFileReader.decode(u.file()).exitCode());
    assertEquals(List.of("header", "run", "config", "summary", "exit", "final"), WandbFileReader.decode(u.file()).kinds());
  }

  @Test
  void settingsComeFromTrackerWandbWithClearErrors() {
    assertEquals("proj", WandbSettings.from(config()).project());
    assertEquals(WandbSettings.defaults(), WandbSettings.from(ConfigFactory.parseString("tracker = [console, wandb]")));
    Config dir = ConfigFactory.parseString("tracker.wandb { dir = " + JSON.valueToTree(tmp.resolve("elsewhere").toString()) + " }");
    WandbTracker t = WandbTracker.open(tmp.resolve("rundir"), dir);
    t.close();
    assertEquals(tmp.resolve("elsewhere").resolve("wandb"), t.dir().getParent());
    UserError unknown = assertThrows(UserError.class,
        () -> WandbSettings.from(ConfigFactory.parseString("tracker.wandb { projekt = x }")));
    assertTrue(unknown.getMessage().contains("tracker.wandb.projekt") && unknown.getMessage().contains("project"), unknown.getMessage());
    assertThrows(UserError.class, () -> WandbSettings.from(ConfigFactory.parseString("tracker.wandb { project = \"\" }")));
  }

  @Test
  void keysAreRewrittenAsTheHuggingFaceCallbackDoes() {
    assertEquals("train/loss", WandbKeys.rewrite("loss"));
    assertEquals("train/learning_rate", WandbKeys.rewrite("learning_rate"));
    assertEquals("train/grad_norm", WandbKeys.rewrite("grad_norm"));
    assertEquals("eval/accuracy", WandbKeys.rewrite("eval/accuracy"));
    assertEquals("eval/loss", WandbKeys.rewrite("eval_loss"));
    assertEquals("test/accuracy", WandbKeys.rewrite("test_accuracy"));
    assertEquals("rewards/chosen", WandbKeys.rewrite("rewards/chosen"));
    assertEquals("objective/kl", WandbKeys.rewrite("objective/kl"));
    assertEquals("_step", WandbKeys.rewrite("_step"));
    assertEquals("eval/rewards/chosen", WandbKeys.rewrite("eval_rewards/chosen"));
    assertEquals(-1, WandbTracker.direction("loss"));
    assertEquals(1, WandbTracker.direction("accuracy"));
    assertEquals(1, WandbTracker.direction("margins"));
    assertEquals(0, WandbTracker.direction("num_problems"));
    assertEquals(0, WandbTracker.direction("tokens_per_second"));
  }
}
