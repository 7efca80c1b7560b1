package dev.stepwise.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code summary.tsv} of a sweep: one row per job with {@code job}, {@code overrides},
 * {@code status}, {@code wall_s}, then the job's final metrics (one column per metric name over
 * all jobs, sorted). Final metrics are the job's {@code metrics.jsonl} summary lines
 * ({@code "summary": true}) merged, or its last logged step when it wrote no summary.
 */
public final class SummaryTsv {
  private static final ObjectMapper JSON = dev.stepwise.run.MetricJson.MAPPER;

  private SummaryTsv() {}

  /**
   * @param dir the sweep directory
   * @param results every job's result, in job order
   * @return the file written
   */
  public static Path write(MultirunDir dir, List<JobResult> results) {
    List<Map<String, String>> metrics = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>();
    for (JobResult r : results) {
      Map<String, String> m = finalMetrics(dir.jobDir(r.job().index()).resolve("metrics.jsonl"));
      metrics.add(m);
      names.addAll(m.keySet());
    }
    StringBuilder sb = new StringBuilder("job\toverrides\tstatus\twall_s");
    for (String n : names) sb.append('\t').append(n);
    sb.append('\n');
    for (int i = 0; i < results.size(); i++) {
      JobResult r = results.get(i);
      String status = r.ok() || r.status().equals("pending") ? r.status() : r.status() + "(" + r.exitCode() + ")";
      sb.append(r.job().index()).append('\t').append(clean(r.job().overridesText())).append('\t').append(status)
          .append('\t').append(String.format("%.1f", r.wallSeconds()));
      for (String n : names) sb.append('\t').append(metrics.get(i).getOrDefault(n, ""));
      sb.append('\n');
    }
    Path f = dir.path().resolve("summary.tsv");
    MultirunDir.write(f, sb.toString());
    return f;
  }

  /** @return metric name to value text, from a {@code metrics.jsonl} (empty when absent) */
  static Map<String, String> finalMetrics(Path file) {
    Map<String, String> summary = new LinkedHashMap<>();
    Map<String, String> last = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) return summary;
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) continue;
        JsonNode n = JSON.readTree(line);
        Map<String, String> target = n.path("summary").asBoolean(false) ? summary : new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
          if (e.getKey().equals("summary") || e.getKey().equals("timestamp")) return;
          if (e.getValue().isValueNode()) target.put(e.getKey(), clean(e.getValue().asText()));
        });
        if (!n.path("summary").asBoolean(false)) last = target;
      }
    } catch (IOException e) {
      return summary;
    }
    return summary.isEmpty() ? last : summary;
  }

  private static String clean(String s) {
    return s.replace('\t', ' ').replace('\n', ' ');
  }
}
