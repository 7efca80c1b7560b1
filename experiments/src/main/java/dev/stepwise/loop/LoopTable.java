package dev.stepwise.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The loop's table: one Markdown row per iteration, one column per {@link LoopColumn}, read from
 * the stages' {@code metrics.jsonl} summary lines. A missing value (stage skipped or not run, key
 * absent) is {@code -}; numbers print with up to 4 decimals.
 */
public final class LoopTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LoopTable() {}

  /**
   * @param refs the loop's directories
   * @param iterations the number of iterations (rows)
   * @param columns the columns
   * @return the table, ending with a newline
   */
  public static String render(StageRefs refs, int iterations, List<LoopColumn> columns) {
    StringBuilder sb = new StringBuilder("| iteration |");
    StringBuilder rule = new StringBuilder("| ---: |");
    for (LoopColumn c : columns) {
      sb.append(' ').append(c.column()).append(" |");
      rule.append(" ---: |");
    }
    sb.append('\n').append(rule).append('\n');
    for (int k = 1; k <= iterations; k++) {
      sb.append("| ").append(k).append(" |");
      for (LoopColumn c : columns) {
        Path dir = refs.iterationDir(k).resolve(c.stage());
        sb.append(' ').append(summaryValue(dir.resolve("metrics.jsonl"), c.key()).map(LoopTable::format).orElse("-")).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * @param metrics a {@code metrics.jsonl}
   * @param key a summary key
   * @return the key's value in the last line with {@code "summary": true} that has it; empty when
   *     the file or the key is absent
   */
  public static Optional<JsonNode> summaryValue(Path metrics, String key) {
    if (!Files.isRegularFile(metrics)) {
      return Optional.empty();
    }
    JsonNode found = null;
    try {
      for (String line : Files.readAllLines(metrics)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException e) {
          continue; // a torn last line of a killed job
        }
        if (n.path("summary").asBoolean(false) && n.has(key)) {
          found = n.get(key);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.ofNullable(found);
  }

  static String format(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      String s = String.format(Locale.ROOT, "%.4f", v.asDouble());
      return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return v.asText().replace("|", "\\|");
  }
}
