package dev.stepwise.run;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirTest {
  @TempDir Path tmp;

  @Test
  void configuredDirGetsProvenanceAndCheckpointsFolder() throws Exception {
    RunDir run = RunDir.create(tmp.resolve("r1").toString(), "tiny_sft", LocalDateTime.now());
    run.writeProvenance("a = 1\n", List.of("optim.lr=1e-3", "seed=7"), List.of("java: 17"));
    assertTrue(Files.isDirectory(run.checkpoints()));
    assertEquals("a = 1\n", Files.readString(run.path().resolve("config.conf")));
    assertEquals(List.of("optim.lr=1e-3", "seed=7"), Files.readAllLines(run.path().resolve("overrides.txt")));
    assertTrue(Files.readString(run.path().resolve("git.txt")).startsWith("commit: "));
    assertEquals(List.of("java: 17"), Files.readAllLines(run.path().resolve("env.txt")));
  }

  @Test
  void defaultLayoutIsHydrasAndNeverShared() {
    LocalDateTime t = LocalDateTime.of(2026, 11, 23, 9, 5, 7);
    String old = System.getProperty("user.dir");
    RunDir a = RunDir.create(null, "cfg", t);
    RunDir b = RunDir.create("", "cfg", t);
    try {
      assertEquals(Path.of("outputs", "cfg", "2026-11-23", "09-05-07"), a.path());
      assertEquals(Path.of("outputs", "cfg", "2026-11-23", "09-05-07_1"), b.path());
    } finally {
      deleteTree(Path.of("outputs", "cfg"));
      assertEquals(old, System.getProperty("user.dir"));
    }
  }

  @Test
  void jsonlTrackerWritesOneObjectPerStepAndAppends() throws Exception {
    Path f = tmp.resolve("metrics.jsonl");
    try (JsonlTracker t = new JsonlTracker(f)) {
      t.log(1, Map.of("loss", 2.5));
    }
    try (JsonlTracker t = new JsonlTracker(f)) {
      t.log(2, Map.of("loss", 1.5));
      t.summary(Map.of("eval/accuracy", 0.25));
    }
    List<String> lines = Files.readAllLines(f);
    assertEquals(3, lines.size());
    ObjectMapper om = new ObjectMapper();
    JsonNode first = om.readTree(lines.get(0));
    assertEquals(1, first.get("step").asInt());
    assertEquals(2.5, first.get("loss").asDouble());
    assertEquals(1.5, om.readTree(lines.get(1)).get("loss").asDouble());
    assertTrue(om.readTree(lines.get(2)).get("summary").asBoolean());
  }

  @Test
  void consoleFormatIsCompact() {
    String s = ConsoleTracker.format(new java.util.LinkedHashMap<>(Map.of("loss", 0.81234567)));
    assertEquals("loss 0.8123", s);
  }

  private static void deleteTree(Path p) {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
