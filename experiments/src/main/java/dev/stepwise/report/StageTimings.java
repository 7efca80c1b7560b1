package dev.stepwise.report;

import dev.stepwise.config.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's {@code timings.tsv}: a header line {@code stage<TAB>seconds<TAB>cpu_seconds},
 * then one line per finished stage, e.g. {@code seed-2/dpo<TAB>93<TAB>170}: wall seconds and,
 * optionally, user + system CPU seconds (whole seconds, >= 0). A stage that appears twice
 * (re-run after its marker was removed) counts with its last line.
 */
public final class StageTimings {
  private StageTimings() {}

  /**
   * Per-stage wall time grouped over seeds: the {@code seed-<s>/} prefix is dropped, so {@code
   * seed-1/dpo} and {@code seed-2/dpo} both count under {@code dpo}.
   *
   * @param row the stage name without its seed prefix
   * @param runs how many stages were grouped (one per seed, or 1 for a once-only stage)
   * @param totalSeconds their summed wall time, seconds
   * @param totalCpuSeconds their summed CPU time (user + system), seconds; -1 when a line of the
   *     group has no CPU column
   */
  public record Row(String row, int runs, long totalSeconds, long totalCpuSeconds) {
    /** @return the mean seconds per run */
    public double meanSeconds() {
      return totalSeconds / (double) runs;
    }
  }

  /**
   * @param tsv the timings file
   * @return the rows in order of first appearance
   * @throws UserError when a line does not have two or three tab-separated fields with
   *     non-negative integer second counts (names file and line)
   * @throws UncheckedIOException on read failure
   */
  public static List<Row> read(Path tsv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, long[]> byStage = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || (i == 0 && line.startsWith("stage"))) {
        continue;
      }
      String[] f = line.split("\t");
      long secs = f.length == 2 || f.length == 3 ? seconds(f[1]) : -1;
      long cpu = f.length == 3 ? seconds(f[2]) : f.length == 2 ? 0 : -1;
      if (secs < 0 || cpu < 0) {
        throw new UserError(tsv + ":" + (i + 1) + ": expected 'stage<TAB>seconds[<TAB>cpu_seconds]', got '" + line + "'");
      }
      byStage.put(f[0], new long[] {secs, f.length == 3 ? cpu : -1});
    }
    Map<String, long[]> grouped = new LinkedHashMap<>();
    byStage.forEach((stage, v) -> {
      long[] acc = grouped.computeIfAbsent(stage.replaceFirst("^seed-[^/]+/", ""), k -> new long[3]);
      acc[0]++;
      acc[1] += v[0];
      acc[2] = acc[2] < 0 || v[1] < 0 ? -1 : acc[2] + v[1];
    });
    List<Row> rows = new ArrayList<>();
    grouped.forEach((k, v) -> rows.add(new Row(k, (int) v[0], v[1], v[2])));
    return rows;
  }

  /** @return the non-negative integer in {@code s}, or -1 when it is not one */
  private static long seconds(String s) {
    try {
      long v = Long.parseLong(s.strip());
      return v >= 0 ? v : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
