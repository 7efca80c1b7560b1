package dev.stepwise.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gsm8kTaskTest {
  @TempDir Path tmp;

  /** A config over the real data; skips the calling test when GSM8K is not there. */
  private static Gsm8kConfig cfg(boolean strip, int maxTrain, int maxTest) {
    AnswersTest.gsm8k("train.jsonl");
    AnswersTest.gsm8k("test.jsonl");
    return new Gsm8kConfig(AnswersTest.data().toString(), strip, maxTrain, maxTest);
  }

  @Test
  void readsBothSplitsWithIdsLabelsAndPrompts() {
    List<JsonNode> raw = JsonlReader.readAll(AnswersTest.gsm8k("test.jsonl"));
    Gsm8kTask task = new Gsm8kTask(cfg(false, 0, 0));
    List<Problem> test = task.problems("test", 0);
    assertEquals(raw.size(), test.size());
    assertEquals(7473, task.problems("train", -1).size());
    for (int i = 0; i < test.size(); i++) {
      Problem p = test.get(i);
      assertEquals("gsm8k-test-" + i, p.id());
      assertEquals(raw.get(i).get("question").asText(), p.question());
      assertEquals(raw.get(i).get("answer").asText(), p.solution());
      assertEquals("Question: " + p.question() + "\nAnswer:\n", task.prompt(p));
      assertEquals(p.solution(), task.target(p));
      assertTrue(task.isCorrect(task.target(p), p), p.id());
    }
    Problem first = test.get(0);
    assertEquals("18", first.label()); // Janet's ducks: "#### 18"
    assertFalse(task.isCorrect(first.solution().replace("#### 18", "#### 17"), first));
    assertFalse(task.isCorrect("She makes $18 every day\n#### ", first));
    assertTrue(task.isCorrect("She makes $18.00 every day.\nThe answer is 18", first));
  }

  @Test
  void labelsAreCanonicalNumbers() {
    Gsm8kTask task = new Gsm8kTask(cfg(false, 0, 0));
    long withComma = 0;
    for (Problem p : task.problems("train", 0)) {
      assertEquals(Answers.canonical(p.label()).orElseThrow(), p.label());
      assertFalse(p.label().contains(","));
      withComma += p.solution().matches("(?s).*#### \\d{1,3}(,\\d{3})+$") ? 1 : 0;
    }
    assertTrue(withComma > 50, "train labels written with commas: " + withComma);
  }

  @Test
  void stripCalculatorRemovesAnnotationsFromTargetsOnly() {
    Gsm8kTask kept = new Gsm8kTask(cfg(false, 0, 5));
    Gsm8kTask stripped = new Gsm8kTask(cfg(true, 0, 5));
    List<Problem> a = kept.problems("test", 0);
    List<Problem> b = stripped.problems("test", 0);
    assertEquals(5, b.size());
    assertTrue(a.get(0).solution().contains("<<"));
    for (int i = 0; i < 5; i++) {
      assertFalse(b.get(i).solution().contains("<<"), b.get(i).solution());
      assertEquals(CalculatorAnnotations.strip(a.get(i).solution()), b.get(i).solution());
      assertEquals(a.get(i).label(), b.get(i).label());
      assertTrue(stripped.isCorrect(stripped.target(b.get(i)), b.get(i)));
    }
  }

  @Test
  void limitsCombineWithCaps() {
    Gsm8kTask task = new Gsm8kTask(cfg(false, 100, 20));
    assertEquals(100, task.problems("train", 0).size());
    assertEquals(20, task.problems("test", 0).size());
    assertEquals(7, task.problems("test", 7).size());
    assertEquals(20, task.problems("test", 50).size());
    assertEquals(new Gsm8kTask(cfg(false, 0, 0)).problems("train", 100), task.problems("train", 0));
  }

  @Test
  void missingDataIsAClearUserError() {
    Gsm8kTask task = new Gsm8kTask(new Gsm8kConfig(tmp.toString(), false, 0, 0));
    UserError e = assertThrows(UserError.class, () -> task.problems("test", 0));
    assertTrue(e.getMessage().contains(tmp.resolve("gsm8k/test.jsonl").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("STEPWISE_DATA"), e.getMessage());
    UserError split = assertThrows(UserError.class, () -> task.problems("validation", 0));
    assertTrue(split.getMessage().contains("train, test"), split.getMessage());
  }

  @Test
  void badRecordsNameTheirLine() throws Exception {
    Files.createDirectories(tmp.resolve("gsm8k"));
    Files.writeString(
        tmp.resolve("gsm8k/train.jsonl"),
        "{\"question\":\"q\",\"answer\":\"a\\n#### 3\"}\n{\"question\":\"q2\",\"answer\":\"no final line\"}\n");
    Gsm8kTask task = new Gsm8kTask(new Gsm8kConfig(tmp.toString(), false, 0, 0));
    UserError e = assertThrows(UserError.class, () -> task.problems("train", 0));
    assertTrue(e.getMessage().contains("train.jsonl:2: 'answer' does not end with"), e.getMessage());
  }

  @Test
  void dataDirFallsBackToTheEnvironment() throws Exception {
    String env = System.getenv(Gsm8kTask.DATA_ENV);
    Gsm8kTask task = new Gsm8kTask(Gsm8kConfig.DEFAULTS);
    assertEquals(Path.of(env != null && !env.isBlank() ? env : Gsm8kTask.DEFAULT_DATA_DIR), task.dataDir());
    Gsm8kConfig bound = new ObjectMapper().readValue("{\"strip_calculator\": true, \"max_test\": 3}", Gsm8kConfig.class);
    assertEquals(new Gsm8kConfig(null, true, 0, 3), bound);
  }
}
