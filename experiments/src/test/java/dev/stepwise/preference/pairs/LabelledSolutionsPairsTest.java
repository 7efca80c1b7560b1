package dev.stepwise.preference.pairs;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.MathWordTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pairs from labelled real solutions (GSM8K's example_model_solutions.jsonl format). */
class LabelledSolutionsPairsTest {
  @TempDir Path tmp;
  final ArithTask task = new ArithTask(ArithConfig.of(1, 1, 9, 99, "+-", 10, 10, 7L));

  @Test
  void theFileFlagsDecideAndEveryFlaggedSolutionIsAResponse() throws Exception {
    Path f = tmp.resolve("sols.jsonl");
    Files.writeString(f, String.join("\n",
        // The flags, not the answer check, decide: "m2" says 5 yet is flagged wrong.
        "{\"question\":\"2+3?\",\"ground_truth\":\"2+3=5\\nA: 5\",\"m1\":{\"is_correct\":true,\"solution\":\"x\\nA: 5\"},"
            + "\"m2\":{\"is_correct\":false,\"solution\":\"y\\nA: 5\"},\"m3\":{\"is_correct\":false,\"solution\":\"z\\nA: 4\"},\"note\":\"ignored\"}",
        "{\"question\":\"1+1?\",\"ground_truth\":\"A: 2\",\"m1\":{\"is_correct\":false,\"solution\":\"A: 3\"}}",
        ""));
    List<Judged> judged = LabelledSolutionsPairs.read(f, task, 0);
    assertEquals(2, judged.size());
    assertEquals("sols-0", judged.get(0).id());
    assertEquals(MathWordTask.promptFor("2+3?"), judged.get(0).prompt());
    assertEquals(List.of(true, false, false), judged.get(0).correct());
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> summary = OutcomePairs.pairs(judged, 0, 1, out::add);
    assertEquals(2, out.size());
    assertEquals("x\nA: 5", out.get(0).chosen());
    assertEquals("y\nA: 5", out.get(0).rejected());
    assertEquals(1, summary.get("pairs/all_wrong"));
    assertEquals(1, LabelledSolutionsPairs.read(f, task, 1).size(), "limit");
  }

  @Test
  void realGsm8kExampleSolutionsGivePairs() {
    Path data = Path.of(System.getenv().getOrDefault("STEPWISE_DATA", "../shared/data"), "gsm8k", "example_model_solutions.jsonl");
    Assumptions.assumeTrue(Files.exists(data), "GSM8K example solutions absent at " + data + "; set STEPWISE_DATA");
    List<Judged> judged = LabelledSolutionsPairs.read(data, task, 200);
    List<PreferencePair> out = new ArrayList<>();
    OutcomePairs.pairs(judged, 2, 42, out::add);
    assertTrue(out.size() > 100, "pairs from 200 questions: " + out.size());
    Set<String> ids = new HashSet<>();
    for (PreferencePair p : out) {
      assertNotEquals(p.chosen(), p.rejected());
      assertTrue(p.prompt().startsWith("Question: "));
      ids.add(p.id());
    }
    assertTrue(ids.size() > 50);
  }
}
