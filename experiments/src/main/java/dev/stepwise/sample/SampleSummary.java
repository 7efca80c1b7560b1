package dev.stepwise.sample;

import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pass@n, majority-vote accuracy, mean accuracy and greedy (first-response) accuracy of a file of
 * {@link SampleRecord}s.
 */
public final class SampleSummary {
  private SampleSummary() {}

  /**
   * @param records the sampled records (records whose id is not in {@code problems} are skipped)
   * @param problems id to problem
   * @param task the answer check
   * @return {@code sample/problems}, {@code sample/pass@n}, {@code sample/maj@n}, {@code
   *     sample/mean_accuracy}, each accuracy in [0, 1] (0 when there are no records)
   */
  public static Map<String, Object> of(List<SampleRecord> records, Map<String, Problem> problems, Task task) {
    int counted = 0;
    int pass = 0;
    int maj = 0;
    double mean = 0;
    int n = 0;
    for (SampleRecord r : records) {
      Problem p = problems.get(r.id());
      if (p == null || r.response().isEmpty()) {
        continue;
      }
      counted++;
      n = Math.max(n, r.response().size());
      int correct = 0;
      for (String resp : r.response()) {
        if (task.isCorrect(resp, p)) {
          correct++;
        }
      }
      pass += correct > 0 ? 1 : 0;
      mean += correct / (double) r.response().size();
      String vote = majority(r.pred());
      int idx = r.pred().indexOf(vote);
      maj += !vote.isEmpty() && task.isCorrect(r.response().get(idx), p) ? 1 : 0;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    double d = Math.max(counted, 1);
    m.put("sample/problems", counted);
    m.put("sample/pass@" + n, pass / d);
    m.put("sample/maj@" + n, maj / d);
    m.put("sample/mean_accuracy", mean / d);
    return m;
  }

  /**
   * Greedy accuracy: the fraction of the records (of problems in {@code problems}, with at least
   * one response) whose first response is correct.
   *
   * @return a value in [0, 1]; 0 when there are no such records
   */
  public static double firstAccuracy(List<SampleRecord> records, Map<String, Problem> problems, Task task) {
    int counted = 0;
    int correct = 0;
    for (SampleRecord r : records) {
      Problem p = problems.get(r.id());
      if (p == null || r.response().isEmpty()) {
        continue;
      }
      counted++;
      correct += task.isCorrect(r.response().get(0), p) ? 1 : 0;
    }
    return counted == 0 ? 0.0 : correct / (double) counted;
  }

  /** @return the most frequent non-empty prediction, ties to the earliest; "" if none */
  static String majority(List<String> preds) {
    Map<String, Integer> counts = new HashMap<>();
    String best = "";
    int bestCount = 0;
    for (String p : preds) {
      if (p.isEmpty()) {
        continue;
      }
      int k = counts.merge(p, 1, Integer::sum);
      if (k > bestCount) {
        best = p;
        bestCount = k;
      }
    }
    return best;
  }
}
