package dev.stepwise.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * One evaluation run of {@code sampler.jar job=sample} (its summary line in {@code
 * metrics.jsonl}, the one with {@code "summary": true}; the last such line when a resumed run
 * wrote several).
 *
 * @param method the method's row key (e.g. {@code dpo})
 * @param seed the pipeline seed (e.g. {@code 1})
 * @param problems {@code sample/problems}, the number of test problems scored
 * @param greedy {@code sample/greedy_accuracy}, in [0, 1]
 * @param majKey the maj@n key without its prefix, e.g. {@code maj@8}
 * @param maj {@code sample/maj@n}, in [0, 1]
 */
public record EvalResult(String method, String seed, int problems, double greedy, String majKey, double maj) {

  /**
   * Reads the summary of one evaluation run.
   *
   * @param metrics the run's {@code metrics.jsonl}
   * @param method the row key
   * @param seed the seed label
   * @return the result
   * @throws UserError when the file is missing, has no summary line, or the summary lacks
   *     {@code sample/greedy_accuracy} or a {@code sample/maj@n} key (names the file)
   */
  public static EvalResult read(Path metrics, String method, String seed) {
    JsonNode summary = null;
    try (JsonlReader r = JsonlReader.open(metrics)) {
      while (r.hasNext()) {
        JsonNode n = r.next();
        if (n.path("summary").asBoolean(false)) {
          summary = n;
        }
      }
    }
    if (summary == null) {
      throw new UserError(metrics + ": no summary line (was the evaluation run finished?)");
    }
    JsonNode greedy = summary.get("sample/greedy_accuracy");
    if (greedy == null || !greedy.isNumber()) {
      throw new UserError(metrics + ": the summary has no sample/greedy_accuracy (run the sampler with sample.greedy=true)");
    }
    String majKey = null;
    double maj = Double.NaN;
    for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("sample/maj@") && e.getValue().isNumber()) {
        majKey = e.getKey().substring("sample/".length());
        maj = e.getValue().asDouble();
      }
    }
    if (majKey == null) {
      throw new UserError(metrics + ": the summary has no sample/maj@n key");
    }
    return new EvalResult(method, seed, summary.path("sample/problems").asInt(0), greedy.asDouble(), majKey, maj);
  }
}
