package dev.stepwise.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTest {
  /** A record type as stages write them. */
  record Sample(String id, String prompt, List<String> response) {}

  @TempDir Path dir;

  @Test
  void roundTripsRecordsMapsAndTrees() {
    Path f = dir.resolve("sub/out.jsonl");
    List<Sample> written =
        List.of(
            new Sample("a", "Question: 1+1?\nAnswer:\n", List.of("2\n#### 2", "3")),
            new Sample("b", "unicode ’ and \"quotes\" and \t tab", List.of()));
    try (JsonlAppender app = JsonlAppender.open(f)) {
      written.forEach(app::append);
      app.append(Map.of("id", "c", "prompt", "p", "response", List.of("x")));
      assertEquals(3, app.appendedCount());
    }
    List<Sample> read = JsonlReader.readAll(f, Sample.class);
    assertEquals(written, read.subList(0, 2));
    assertEquals(new Sample("c", "p", List.of("x")), read.get(2));
    List<JsonNode> nodes = JsonlReader.readAll(f);
    assertEquals(3, nodes.size());
    assertEquals("2\n#### 2", nodes.get(0).get("response").get(0).asText());
  }

  @Test
  void skipsBlankLinesAndCountsThemInLineNumbers() throws Exception {
    Path f = dir.resolve("blank.jsonl");
    Files.writeString(f, "{\"id\":1}\n\n   \n{\"id\":2}\n");
    try (JsonlReader r = JsonlReader.open(f)) {
      assertEquals(1, r.next().get("id").asInt());
      assertEquals(1, r.lineNumber());
      assertEquals(2, r.next().get("id").asInt());
      assertEquals(4, r.lineNumber());
      assertTrue(!r.hasNext());
    }
  }

  @Test
  void badLineIsReportedWithFileAndLineNumber() throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"id\":1}\n{\"id\":2}\n\n{\"id\": 3,, }\n{\"id\":4}\n");
    UserError e = assertThrows(UserError.class, () -> JsonlReader.readAll(f));
    assertTrue(e.getMessage().startsWith(f + ":4: invalid JSON: "), e.getMessage());
    Files.writeString(f, "{\"id\":1} {\"id\":2}\n");
    UserError trailing = assertThrows(UserError.class, () -> JsonlReader.readAll(f));
    assertTrue(trailing.getMessage().startsWith(f + ":1: invalid JSON"), trailing.getMessage());
  }

  @Test
  void bindingErrorNamesTypeAndLine() throws Exception {
    Path f = dir.resolve("bind.jsonl");
    Files.writeString(f, "{\"id\":\"a\",\"response\":[]}\n{\"id\":\"b\",\"response\":{\"x\":1}}\n");
    UserError e = assertThrows(UserError.class, () -> JsonlReader.readAll(f, Sample.class));
    assertTrue(e.getMessage().startsWith(f + ":2: cannot read record as Sample"), e.getMessage());
  }

  @Test
  void missingFileIsAUserError() {
    Path f = dir.resolve("nope.jsonl");
    UserError e = assertThrows(UserError.class, () -> JsonlReader.readAll(f));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void partialLastLineIsTruncatedOnOpenAndAppendingContinues() throws Exception {
    Path f = dir.resolve("killed.jsonl");
    String good = "{\"id\":\"a\",\"v\":1}\n{\"id\":\"b\",\"v\":2}\n";
    Files.writeString(f, good + "{\"id\":\"c\",\"v\":");
    UserError before = assertThrows(UserError.class, () -> JsonlReader.readAll(f));
    assertTrue(before.getMessage().contains(":3: invalid JSON"), before.getMessage());
    assertTrue(before.getMessage().contains("no newline"), before.getMessage());
    try (JsonlAppender app = JsonlAppender.open(f)) {
      assertEquals(good, Files.readString(f));
      app.append(Map.of("id", "c", "v", 3));
    }
    List<JsonNode> nodes = JsonlReader.readAll(f);
    assertEquals(3, nodes.size());
    assertEquals(3, nodes.get(2).get("v").asInt());
  }

  @Test
  void partialOnlyLineTruncatesToEmptyAndCompleteUnterminatedLineIsKept() throws Exception {
    Path partial = dir.resolve("partial.jsonl");
    Files.writeString(partial, "{\"id\":\"a\"");
    JsonlAppender.open(partial).close();
    assertEquals(0, Files.size(partial));

    Path complete = dir.resolve("complete.jsonl");
    Files.writeString(complete, "{\"id\":\"a\"}\n{\"id\":\"b\"}");
    try (JsonlAppender app = JsonlAppender.open(complete)) {
      app.append(Map.of("id", "c"));
      assertEquals(Set.of("a", "b", "c"), app.existingIds("id"));
    }
    assertEquals("{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n", Files.readString(complete));
  }

  @Test
  void truncationKeepsEarlierLinesWhenTailIsLongerThanOneBlock() throws Exception {
    Path f = dir.resolve("long.jsonl");
    String first = "{\"id\":\"a\",\"text\":\"" + "x".repeat(20_000) + "\"}\n";
    Files.writeString(f, first + "{\"id\":\"b\",\"text\":\"" + "y".repeat(30_000));
    JsonlAppender.open(f).close();
    assertEquals(first, Files.readString(f));
  }

  @Test
  void resumeSkipsFinishedIds() throws Exception {
    Path f = dir.resolve("resume.jsonl");
    List<String> todo = List.of("p0", "p1", "p2", "p3", "p4", "p5");
    try (JsonlAppender app = JsonlAppender.open(f)) {
      for (String id : todo.subList(0, 3)) {
        app.append(Map.of("id", id, "done", true));
      }
    }
    // simulate a kill -9 in the middle of the fourth record
    Files.write(
        f, "{\"id\":\"p3\",\"do".getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.APPEND);
    List<String> processed = new ArrayList<>();
    try (JsonlAppender app = JsonlAppender.open(f)) {
      Set<String> done = app.existingIds("id");
      assertEquals(Set.of("p0", "p1", "p2"), done);
      for (String id : todo) {
        if (!done.contains(id)) {
          processed.add(id);
          app.append(Map.of("id", id, "done", true));
        }
      }
      assertEquals(Set.copyOf(todo), app.existingIds("id"));
    }
    assertEquals(List.of("p3", "p4", "p5"), processed);
    assertEquals(6, JsonlReader.readAll(f).size());
  }

  @Test
  void existingIdsNamesTheLineOfARecordWithoutTheField() throws Exception {
    Path f = dir.resolve("noid.jsonl");
    Files.writeString(f, "{\"id\":\"a\"}\n{\"idx\":\"b\"}\n");
    try (JsonlAppender app = JsonlAppender.open(f)) {
      UserError e = assertThrows(UserError.class, () -> app.existingIds("id"));
      assertTrue(e.getMessage().contains(":2: record has no field 'id'"), e.getMessage());
      assertTrue(e.getMessage().contains("idx"), e.getMessage());
    }
  }

  @Test
  void secondAppenderOnSameFileIsRefused() {
    Path f = dir.resolve("locked.jsonl");
    try (JsonlAppender app = JsonlAppender.open(f)) {
      UserError e = assertThrows(UserError.class, () -> JsonlAppender.open(f));
      assertTrue(e.getMessage().contains("another writer"), e.getMessage());
      app.append(Map.of("id", "a"));
    }
    try (JsonlAppender again = JsonlAppender.open(f)) { // the lock is released on close
      assertEquals(Set.of("a"), again.existingIds("id"));
    }
  }

  @Test
  void concurrentAppendsNeverInterleave() throws Exception {
    Path f = dir.resolve("threads.jsonl");
    int threads = 4;
    int each = 250;
    String pad = "z".repeat(3000);
    try (JsonlAppender app = JsonlAppender.open(f, 100)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      for (int t = 0; t < threads; t++) {
        int tt = t;
        pool.submit(
            () -> {
              for (int i = 0; i < each; i++) {
                app.append(Map.of("id", tt + "-" + i, "pad", pad));
              }
            });
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
      assertEquals(threads * each, app.appendedCount());
    }
    List<JsonNode> nodes = JsonlReader.readAll(f);
    assertEquals(threads * each, nodes.size());
    Set<String> ids = new java.util.HashSet<>();
    for (JsonNode n : nodes) {
      assertEquals(pad, n.get("pad").asText());
      ids.add(n.get("id").asText());
    }
    assertEquals(threads * each, ids.size());
  }
}
