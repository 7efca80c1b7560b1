package dev.stepwise.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records to a JSONL file, one compact JSON line per record, each written straight to
 * the operating system (no user-space buffer) so that a killed process loses at most the record
 * being written.
 *
 * <p><b>Repair on open.</b> A {@code kill -9} in the middle of a write can leave an unterminated
 * last line. On open, if the file does not end with {@code '\n'}, the tail after the last newline
 * is inspected: when it is a complete JSON value (a file written by another tool without a final
 * newline) the newline is added; otherwise the partial line is truncated away and a warning is
 * logged with the number of bytes dropped. Resuming therefore never sees a corrupt record.
 *
 * <p><b>Resume.</b> {@link #existingIds(String)} returns the ids already in the file, so that a
 * stage skips the work it finished before it was stopped.
 *
 * <p><b>Durability.</b> With {@code fsyncEvery = N > 0} the file is also forced to the storage
 * device every N records and on close (survives a power loss, not only a process kill).
 *
 * <p><b>Concurrency.</b> {@link #append} and {@link #existingIds} are thread-safe; lines of
 * concurrent appends never interleave. The file is locked for this appender's lifetime, so a
 * second appender on the same file (in this or another process) fails with a {@link UserError}.
 */
public final class JsonlAppender implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(JsonlAppender.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final int fsyncEvery;
  private final FileChannel channel;
  private final FileLock lock;
  private long appended;
  private boolean closed;

  private JsonlAppender(Path file, int fsyncEvery, FileChannel channel, FileLock lock) {
    this.file = file;
    this.fsyncEvery = fsyncEvery;
    this.channel = channel;
    this.lock = lock;
  }

  /** Opens {@code file} for appending without periodic fsync; see {@link #open(Path, int)}. */
  public static JsonlAppender open(Path file) {
    return open(file, 0);
  }

  /**
   * Opens (creating it and its parent directories when missing) {@code file} for appending,
   * after repairing a partial last line.
   *
   * @param fsyncEvery force the file to disk every this many records and on close; 0: never
   * @throws IllegalArgumentException when {@code fsyncEvery < 0}
   * @throws UserError when another appender holds the file
   * @throws UncheckedIOException when the file cannot be opened or repaired
   */
  public static JsonlAppender open(Path file, int fsyncEvery) {
    if (fsyncEvery < 0) {
      throw new IllegalArgumentException("fsyncEvery must be >= 0, got " + fsyncEvery);
    }
    FileChannel ch = null;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new UserError(file + ": another writer is appending to this JSONL file");
      }
      repairTail(file, ch);
      ch.position(ch.size());
      return new JsonlAppender(file, fsyncEvery, ch, lock);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot open " + file + " for appending", e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // already failing; the original error is the one to report
      }
    }
  }

  /** Truncates an unterminated last line, or terminates it when it is a complete JSON value. */
  private static void repairTail(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0 || byteAt(ch, size - 1) == '\n') {
      return;
    }
    long start = afterLastNewline(ch, size);
    long tailLength = size - start;
    if (tailLength > Integer.MAX_VALUE) {
      throw new IOException(file + ": last line longer than 2 GiB, refusing to repair");
    }
    ByteBuffer tail = ByteBuffer.allocate((int) tailLength);
    ch.read(tail, start);
    String text = new String(tail.array(), StandardCharsets.UTF_8);
    if (!text.isBlank() && isCompleteJson(text)) {
      ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
      LOG.warn("{}: last line had no newline but is a complete record; added the newline", file);
    } else {
      ch.truncate(start);
      LOG.warn(
          "{}: dropped a partial last line ({} bytes) left by an interrupted writer", file,
          tailLength);
    }
    ch.force(false);
  }

  private static boolean isCompleteJson(String text) {
    try (var parser = MAPPER.createParser(text)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  /** @return the offset just after the last {@code '\n'} before {@code size}, or 0 */
  private static long afterLastNewline(FileChannel ch, long size) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(8192);
    long end = size;
    while (end > 0) {
      long from = Math.max(0, end - block.capacity());
      block.clear().limit((int) (end - from));
      while (block.hasRemaining()) {
        if (ch.read(block, from + block.position()) < 0) {
          throw new IOException("short read at byte " + (from + block.position()));
        }
      }
      for (int i = (int) (end - from) - 1; i >= 0; i--) {
        if (block.get(i) == '\n') {
          return from + i + 1;
        }
      }
      end = from;
    }
    return 0;
  }

  private static byte byteAt(FileChannel ch, long pos) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    if (ch.read(one, pos) != 1) {
      throw new IOException("short read at byte " + pos);
    }
    return one.get(0);
  }

  /**
   * Appends {@code record} (a Jackson {@code JsonNode}, a Java record, a bean or a {@code Map})
   * as one compact JSON line and hands it to the operating system before returning.
   *
   * @throws IllegalArgumentException when Jackson cannot serialize {@code record}
   * @throws IllegalStateException when this appender is closed
   * @throws UncheckedIOException when the write fails
   */
  public void append(Object record) {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize record to JSON: " + e.getMessage(), e);
    }
    ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(file + ": appender is closed");
      }
      try {
        while (line.hasRemaining()) {
          channel.write(line);
        }
        appended++;
        if (fsyncEvery > 0 && appended % fsyncEvery == 0) {
          channel.force(false);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to " + file, e);
      }
    }
  }

  /**
   * Reads the ids of the records already in the file (those from before this appender was
   * opened and those appended since), as text ({@code JsonNode.asText()}: numbers become their
   * decimal string).
   *
   * @param idField the id field name, e.g. {@code "id"}
   * @return the ids in file order, without duplicates
   * @throws UserError when a record lacks {@code idField} ({@code "<file>:<line>: ..."})
   */
  public synchronized Set<String> existingIds(String idField) {
    Set<String> ids = new LinkedHashSet<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        JsonNode node = r.next();
        JsonNode id = node.get(idField);
        if (id == null || id.isNull()) {
          throw new UserError(
              file + ":" + r.lineNumber() + ": record has no field '" + idField + "'"
                  + fieldsOf(node));
        }
        ids.add(id.asText());
      }
    }
    return ids;
  }

  private static String fieldsOf(JsonNode node) {
    if (!node.isObject()) {
      return " (the record is not a JSON object)";
    }
    StringBuilder sb = new StringBuilder(" (its fields: ");
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      sb.append(names.next());
      if (names.hasNext()) {
        sb.append(", ");
      }
    }
    return sb.append(')').toString();
  }

  /**
   * Forces the records written so far to the storage device (whatever {@code fsyncEvery} says):
   * what a job does before it stops on a signal.
   *
   * @throws UncheckedIOException when the file cannot be forced
   */
  public synchronized void sync() {
    if (closed) {
      return;
    }
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fsync " + file, e);
    }
  }

  /**
   * A safe point of a job writing records (between batches): when a stop signal arrived ({@link
   * dev.stepwise.run.StopSignals}), forces the file to disk and throws.
   *
   * @throws dev.stepwise.run.StopRequested when a stop was requested
   */
  public void stopPoint() {
    if (dev.stepwise.run.StopSignals.requested()) {
      sync();
      throw new dev.stepwise.run.StopRequested(dev.stepwise.run.StopSignals.signal(), "stopped by SIG"
          + dev.stepwise.run.StopSignals.signal() + " after " + appendedCount() + " new records in " + file
          + " (synced; a re-run on the same file continues)");
    }
  }

  /** @return the number of records appended through this appender since it was opened */
  public synchronized long appendedCount() {
    return appended;
  }

  /** @return the file appended to */
  public Path file() {
    return file;
  }

  /** Forces the file to disk when {@code fsyncEvery > 0}, releases the lock and closes it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (fsyncEvery > 0) {
        channel.force(false);
      }
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
