package dev.stepwise.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pass@n, maj@n, mean and greedy accuracy against hand-computed values. */
class SampleSummaryTest {
  static final ArithTask TASK = new ArithTask(ArithConfig.DEFAULTS);

  static SampleRecord rec(String id, String label, String... answers) {
    List<String> resp = List.of(answers).stream().map(a -> a.isEmpty() ? "no answer" : "x\n#### " + a).toList();
    List<String> pred = List.of(answers);
    return new SampleRecord(id, "P", label, resp, pred);
  }

  @Test
  void handComputedAccuracies() {
    Map<String, Problem> problems = Map.of(
        "a", new Problem("a", "", "", "5"), "b", new Problem("b", "", "", "7"), "c", new Problem("c", "", "", "1"));
    List<SampleRecord> recs = List.of(
        rec("a", "5", "5", "3", "5", "3"), // pass, majority tie 5/3 -> earliest (5): right, 2/4, first right
        rec("b", "7", "2", "2", "7", ""), // pass, majority 2: wrong, 1/4, first wrong
        rec("c", "1", "", "", "", "4"), // no pass, majority 4: wrong, 0/4, first wrong
        rec("zzz", "9", "9", "9", "9", "9")); // not a problem of this run: ignored
    Map<String, Object> m = SampleSummary.of(recs, problems, TASK);
    assertEquals(3, m.get("sample/problems"));
    assertEquals(2 / 3.0, (double) m.get("sample/pass@4"), 1e-12);
    assertEquals(1 / 3.0, (double) m.get("sample/maj@4"), 1e-12);
    assertEquals((0.5 + 0.25 + 0) / 3, (double) m.get("sample/mean_accuracy"), 1e-12);
    assertEquals(1 / 3.0, SampleSummary.firstAccuracy(recs, problems, TASK), 1e-12);
    assertEquals(0.0, SampleSummary.firstAccuracy(List.of(), problems, TASK));
    assertEquals("", SampleSummary.majority(List.of("", "")));
  }

  @Test
  void greedyFileSitsBesideTheOutput() {
    assertEquals(Path.of("d/samples.greedy.jsonl"), SampleJob.greedyFile(Path.of("d/samples.jsonl")));
    assertEquals(Path.of("d/out.greedy.jsonl"), SampleJob.greedyFile(Path.of("d/out")));
  }
}
