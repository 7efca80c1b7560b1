package dev.stepwise.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends one JSON object per logged step to {@code metrics.jsonl}: {@code {"step": n,
 * "timestamp": epochSeconds, <metrics>...}}, flushed per line so that a killed run keeps every
 * logged step. Summaries are written as one line with {@code "summary": true}. A NaN or infinite
 * value is written as the bare number {@code NaN}, {@code Infinity} or {@code -Infinity}, as
 * Python's {@code json} writes it ({@link MetricJson}).
 */
public final class JsonlTracker implements Tracker {
  private static final ObjectMapper JSON = MetricJson.MAPPER;
  private final BufferedWriter out;

  /** @param file the JSONL file; appended to when it exists (a resumed run) */
  public JsonlTracker(Path file) {
    try {
      out =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  @Override
  public synchronized void log(long step, Map<String, ?> metrics) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("step", step);
    row.put("timestamp", System.currentTimeMillis() / 1000.0);
    row.putAll(metrics);
    write(row);
  }

  @Override
  public synchronized void summary(Map<String, ?> values) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("summary", true);
    row.putAll(values);
    write(row);
  }

  private void write(Map<String, Object> row) {
    try {
      out.write(JSON.writeValueAsString(row));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
