package dev.stepwise.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LogiQA-v2 reader on the real dev file and on small hand-written files. */
class LogiQa2TaskTest {
  @TempDir Path tmp;

  @Test
  void readsTheRealDevSplitWithReactPrompts() {
    Path file = AnswersTest.data().resolve("logiqa2/dev.jsonl");
    Assumptions.assumeTrue(Files.isRegularFile(file), "shared data missing: " + file + " (set STEPWISE_DATA)");
    List<JsonNode> raw = JsonlReader.readAll(file);
    LogiQa2Task task = new LogiQa2Task(new LogiQa2Config(AnswersTest.data().toString(), 0));
    List<Problem> dev = task.problems("dev", 0);
    assertEquals(raw.size(), dev.size());
    for (int i = 0; i < dev.size(); i += 97) {
      Problem p = dev.get(i);
      JsonNode r = raw.get(i);
      assertEquals("logiqa2-dev-" + i, p.id());
      assertEquals(String.valueOf((char) ('A' + r.get("answer").asInt())), p.label());
      String prompt = task.prompt(p);
      assertTrue(prompt.startsWith("Context:\n" + r.get("text").asText().strip() + "\n\nQuestion:\n"), prompt);
      assertTrue(prompt.contains("\n\nOptions:\nA. " + r.get("options").get(0).asText().strip() + "\nB. "), prompt);
      assertTrue(prompt.endsWith("\nD. " + r.get("options").get(3).asText().strip() + "\n\nThought 1:"), prompt);
      assertTrue(task.isCorrect(task.target(p), p));
    }
    assertEquals(10, task.problems("dev", 10).size());
    assertEquals(5, new LogiQa2Task(new LogiQa2Config(AnswersTest.data().toString(), 5)).problems("dev", 10).size());
  }

  @Test
  void badRecordsNameFileAndLine() throws Exception {
    Files.createDirectories(tmp.resolve("logiqa2"));
    Files.writeString(tmp.resolve("logiqa2/dev.jsonl"),
        "{\"text\":\"t\",\"question\":\"q\",\"options\":[\"a\",\"b\",\"c\",\"d\"],\"answer\":1}\n"
            + "{\"text\":\"t\",\"question\":\"q\",\"options\":[\"a\",\"b\",\"c\",\"d\"],\"answer\":4}\n");
    LogiQa2Task task = new LogiQa2Task(new LogiQa2Config(tmp.toString(), 0));
    UserError e = assertThrows(UserError.class, () -> task.problems("dev", 0));
    assertTrue(e.getMessage().contains("dev.jsonl:2") && e.getMessage().contains("answer"), e.getMessage());
    UserError missing = assertThrows(UserError.class, () -> task.problems("train", 0));
    assertTrue(missing.getMessage().contains("train.jsonl") && missing.getMessage().contains("'dev'"), missing.getMessage());
  }
}
