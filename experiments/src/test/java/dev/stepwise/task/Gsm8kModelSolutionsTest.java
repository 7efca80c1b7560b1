package dev.stepwise.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.config.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader of GSM8K's example model solutions (their "A: N" endings). */
class Gsm8kModelSolutionsTest {
  @TempDir Path tmp;

  @Test
  void realFileMatchesTheTestSplitAndItsOwnCorrectnessFlags() {
    Path file = AnswersTest.data().resolve(Gsm8kModelSolutions.FILE);
    Assumptions.assumeTrue(Files.isRegularFile(file), "shared data missing: " + file + " (set STEPWISE_DATA)");
    List<Gsm8kModelSolutions.Entry> all = Gsm8kModelSolutions.read(file);
    assertEquals(1319, all.size());
    List<Problem> test = new Gsm8kTask(new Gsm8kConfig(AnswersTest.data().toString(), false, 0, 0)).problems("test", 0);
    Gsm8kTask task = new Gsm8kTask(Gsm8kConfig.DEFAULTS);
    int agree = 0;
    int total = 0;
    for (int i = 0; i < all.size(); i++) {
      Gsm8kModelSolutions.Entry e = all.get(i);
      assertEquals(test.get(i).id(), e.problem().id());
      assertEquals(test.get(i).label(), e.problem().label(), e.problem().id());
      assertEquals(Gsm8kModelSolutions.MODELS, e.models());
      for (int k = 0; k < e.solutions().size(); k++) {
        total++;
        agree += task.isCorrect(e.solutions().get(k), e.problem()) == e.isCorrect().get(k) ? 1 : 0;
      }
    }
    assertEquals("18", all.get(0).problem().label());
    System.out.println("answer check agrees with is_correct on " + agree + " of " + total + " solutions");
    // Our "A: N" check reproduces the file's own is_correct flags almost everywhere.
    assertEquals(total, agree, agree + " of " + total + " agree");
  }

  @Test
  void handWrittenFileAndErrors() throws Exception {
    Path f = tmp.resolve("s.jsonl");
    Files.writeString(f,
        "{\"question\":\"q0\",\"ground_truth\":\"x = 3\\nA: 1,000\",\"6b_finetuning\":{\"is_correct\":true,\"solution\":\"s\\nA: 1000\"}}\n"
            + "{\"question\":\"q1\",\"ground_truth\":\"no answer here\"}\n");
    UserError e = assertThrows(UserError.class, () -> Gsm8kModelSolutions.read(f));
    assertTrue(e.getMessage().contains("s.jsonl:2"), e.getMessage());
    Files.writeString(f, Files.readAllLines(f).get(0) + "\n");
    Gsm8kModelSolutions.Entry only = Gsm8kModelSolutions.read(f).get(0);
    assertEquals("1000", only.problem().label());
    assertEquals(List.of("6b_finetuning"), only.models());
    assertEquals(List.of(true), only.isCorrect());
    assertEquals(List.of("s", "A: 1000"), Steps.split(only.solutions().get(0)));
  }
}
