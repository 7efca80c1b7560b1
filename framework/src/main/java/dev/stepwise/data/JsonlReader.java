package dev.stepwise.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams the records of a JSONL file (UTF-8, one JSON value per line) as Jackson {@link
 * JsonNode}s, in file order. Blank (whitespace-only) lines are skipped.
 *
 * <p>Errors are {@link UserError}s: a missing file names the path; a line that is not valid JSON
 * is reported as {@code "<file>:<line>: invalid JSON: <reason>"} with the 1-based line number
 * (and, when it is the unterminated last line, a hint that a killed writer probably cut it).
 * I/O failures while reading are {@link UncheckedIOException}s.
 *
 * <p>Not thread-safe; close it (try-with-resources) when not read to the end.
 */
public final class JsonlReader implements Iterator<JsonNode>, Closeable {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
          .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());

  private final Path file;
  private final BufferedReader in;
  private JsonNode next;
  private int nextLine;
  private int lastLine;
  private int line;
  private boolean done;

  private JsonlReader(Path file, BufferedReader in) {
    this.file = file;
    this.in = in;
  }

  /**
   * Opens {@code file} for streaming.
   *
   * @throws UserError when the file does not exist
   */
  public static JsonlReader open(Path file) {
    try {
      return new JsonlReader(file, Files.newBufferedReader(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new UserError(file + ": JSONL file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  /**
   * Reads every record of {@code file}.
   *
   * @return the records in file order (blank lines skipped)
   * @throws UserError when the file is missing or a line is not valid JSON
   */
  public static List<JsonNode> readAll(Path file) {
    List<JsonNode> out = new ArrayList<>();
    try (JsonlReader r = open(file)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  /**
   * Reads every record of {@code file} and binds it to {@code type} with Jackson (records and
   * beans; fields of the line that {@code type} lacks are ignored, so that data files with extra
   * fields stay readable).
   *
   * @return the bound records in file order
   * @throws UserError when the file is missing, a line is not valid JSON, or a record cannot be
   *     bound ({@code "<file>:<line>: cannot read record as <Type>: <reason>"})
   */
  public static <T> List<T> readAll(Path file, Class<T> type) {
    List<T> out = new ArrayList<>();
    try (JsonlReader r = open(file)) {
      while (r.hasNext()) {
        JsonNode node = r.next();
        out.add(r.bind(node, type));
      }
    }
    return out;
  }

  /**
   * Binds one record read by this reader to {@code type}.
   *
   * @throws UserError naming this file and the record's line when binding fails
   */
  public <T> T bind(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new UserError(
          file + ":" + lastLine + ": cannot read record as " + type.getSimpleName() + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  /** @return the 1-based line number of the record last returned by {@link #next()} (0: none) */
  public int lineNumber() {
    return lastLine;
  }

  /** @return the file being read */
  public Path file() {
    return file;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      String text;
      while ((text = in.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        next = parse(text);
        nextLine = line;
        return true;
      }
      done = true;
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private JsonNode parse(String text) throws IOException {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String hint = "";
      in.mark(1);
      boolean last = in.read() < 0;
      in.reset();
      if (last && !endsWithNewline()) {
        hint =
            " (the last line has no newline: a killed writer probably cut it; opening the file"
                + " with JsonlAppender repairs it)";
      }
      throw new UserError(
          file + ":" + line + ": invalid JSON: " + e.getOriginalMessage() + hint, e);
    }
  }

  private boolean endsWithNewline() {
    try (var ch = Files.newByteChannel(file)) {
      long size = ch.size();
      if (size == 0) {
        return true;
      }
      ch.position(size - 1);
      var buf = java.nio.ByteBuffer.allocate(1);
      ch.read(buf);
      return buf.get(0) == '\n';
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public JsonNode next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more records in " + file);
    }
    JsonNode out = next;
    next = null;
    lastLine = nextLine;
    return out;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
