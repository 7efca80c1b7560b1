package dev.stepwise.run.wandb;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Appends records to a W&amp;B {@code .wandb} file: the 7-byte file header, then LevelDB-log
 * framing, as W&amp;B's {@code datastore.py} writes it.
 *
 * <ul>
 *   <li>File header: ASCII {@code :W&B}, magic {@code 0xBEE1} as a little-endian uint16, version
 *       byte 0. It counts as the first 7 bytes of block 0.
 *   <li>Blocks of {@value #BLOCK} bytes counted from file offset 0. A chunk is a 7-byte header
 *       (CRC-32, IEEE/zlib polynomial, over the type byte then the payload, little-endian uint32;
 *       payload length, little-endian uint16; type {@link #FULL}, {@link #FIRST}, {@link #MIDDLE}
 *       or {@link #LAST}) followed by its payload. Chunks never cross a block boundary.
 *   <li>A record that fits in the rest of the block (payload + 7 &lt;= space left) is one FULL
 *       chunk; otherwise FIRST fills the block (possibly with an empty payload when exactly 7
 *       bytes are left), MIDDLEs fill whole blocks and LAST holds the rest.
 *   <li>When fewer than 7 bytes are left in a block, they are written as zeros before the next
 *       record.
 * </ul>
 *
 * <p>Each record (with any padding before it) goes to the file in one {@code write} call and
 * nothing is buffered in Java, so a process killed with {@code kill -9} leaves every completed
 * record on disk. Not thread-safe; callers synchronize.
 */
public final class LevelDbLogWriter implements Closeable {
  /** Block length in bytes (32 KiB). */
  public static final int BLOCK = 32768;
  /** Chunk header length in bytes (also the file header's length). */
  public static final int HEADER = 7;
  /** Chunk types. */
  public static final int FULL = 1, FIRST = 2, MIDDLE = 3, LAST = 4;
  /** The file header's magic, {@code zlib.crc32("Weights & Biases") & 0xffff}. */
  public static final int MAGIC = 0xBEE1;

  private final FileOutputStream out;
  private long offset;

  private LevelDbLogWriter(FileOutputStream out) {
    this.out = out;
  }

  /**
   * Creates the file (which must not exist) and writes the 7-byte file header.
   *
   * @param file the {@code .wandb} file to create
   * @return the open writer, positioned after the header
   * @throws IOException when the file exists or cannot be written
   */
  public static LevelDbLogWriter create(Path file) throws IOException {
    if (Files.exists(file)) {
      throw new IOException("refusing to overwrite " + file);
    }
    LevelDbLogWriter w = new LevelDbLogWriter(new FileOutputStream(file.toFile()));
    byte[] h = {':', 'W', '&', 'B', (byte) (MAGIC & 0xff), (byte) (MAGIC >>> 8), 0};
    w.out.write(h);
    w.offset = h.length;
    return w;
  }

  /** @return bytes written so far (the file's length) */
  public long offset() {
    return offset;
  }

  /**
   * Frames one record into chunks and writes it (with any block padding before it) at once.
   *
   * @param data the record's bytes, any length (split over as many blocks as needed)
   * @throws IOException when the write fails
   */
  public void append(byte[] data) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(data.length + 2 * HEADER + 16);
    long pos = offset;
    int left = (int) (BLOCK - pos % BLOCK);
    if (left < HEADER) {
      buf.write(new byte[left], 0, left);
      pos += left;
      left = BLOCK;
    }
    if (data.length + HEADER <= left) {
      chunk(buf, FULL, data, 0, data.length);
      pos += HEADER + data.length;
    } else {
      int used = left - HEADER;
      chunk(buf, FIRST, data, 0, used);
      pos += left;
      while (data.length - used > BLOCK - HEADER) {
        chunk(buf, MIDDLE, data, used, BLOCK - HEADER);
        used += BLOCK - HEADER;
        pos += BLOCK;
      }
      chunk(buf, LAST, data, used, data.length - used);
      pos += HEADER + data.length - used;
    }
    out.write(buf.toByteArray());
    out.flush();
    offset = pos;
  }

  private static void chunk(ByteArrayOutputStream buf, int type, byte[] data, int from, int len) {
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(data, from, len);
    long c = crc.getValue();
    buf.write((int) c);
    buf.write((int) (c >>> 8));
    buf.write((int) (c >>> 16));
    buf.write((int) (c >>> 24));
    buf.write(len & 0xff);
    buf.write(len >>> 8);
    buf.write(type);
    buf.write(data, from, len);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
