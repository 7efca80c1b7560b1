package dev.stepwise.run.wandb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of W&amp;B {@code .wandb} files for tests, written from the format facts
 * (W&amp;B's {@code datastore.py}, {@code core/pkg/leveldb/record.go}, {@code wandb_internal.proto})
 * and sharing no code with the writer: its own CRC-32, its own block walk, its own protobuf wire
 * decoder.
 *
 * <p>Facts: a 7-byte header {@code ":W&B" 0xE1 0xBE 0x00}; 32768-byte blocks from offset 0; chunk
 * = uint32 LE CRC-32 (IEEE, reflected polynomial 0xEDB88320) over type byte + payload, uint16 LE
 * length, type byte (1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST), payload; fewer than 7 bytes left in a
 * block are zeros.
 */
public final class WandbFileReader {
  static final int BLOCK = 32768;

  private WandbFileReader() {}

  /** A damaged file: bad header, bad padding, checksum mismatch, chunk out of order. */
  public static final class CorruptFile extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptFile(String m) {
      super(m);
    }
  }

  /**
   * @param records the complete records, in order
   * @param chunkTypes every chunk's type byte, in file order
   * @param chunkOffsets every chunk header's file offset
   * @param truncated whether the file ends inside a record (a killed writer)
   */
  public record Framed(List<byte[]> records, List<Integer> chunkTypes, List<Long> chunkOffsets, boolean truncated) {}

  /** CRC-32 (IEEE 802.3 / zlib), bit by bit. */
  public static long crc32(byte[]... parts) {
    int crc = 0xFFFFFFFF;
    for (byte[] p : parts) {
      for (byte b : p) {
        crc ^= b & 0xff;
        for (int k = 0; k < 8; k++) {
          crc = (crc >>> 1) ^ (0xEDB88320 & -(crc & 1));
        }
      }
    }
    return ~crc & 0xFFFFFFFFL;
  }

  /**
   * Splits a file into records.
   *
   * @param f the file's bytes
   * @return the records; a tail cut inside a record sets {@code truncated}
   * @throws CorruptFile for a bad header, non-zero padding, a checksum mismatch or bad chunk order
   */
  public static Framed frame(byte[] f) throws CorruptFile {
    if (f.length < 7 || f[0] != ':' || f[1] != 'W' || f[2] != '&' || f[3] != 'B'
        || (f[4] & 0xff) != 0xE1 || (f[5] & 0xff) != 0xBE || f[6] != 0) {
      throw new CorruptFile("bad :W&B header");
    }
    List<byte[]> records = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    java.io.ByteArrayOutputStream partial = null;
    int pos = 7;
    while (pos < f.length) {
      int left = BLOCK - pos % BLOCK;
      if (left < 7) {
        for (int i = pos; i < Math.min(pos + left, f.length); i++) {
          if (f[i] != 0) {
            throw new CorruptFile("non-zero block padding at offset " + i);
          }
        }
        if (pos + left > f.length) {
          return new Framed(records, types, offsets, true);
        }
        pos += left;
        continue;
      }
      if (pos + 7 > f.length) {
        return new Framed(records, types, offsets, true);
      }
      long crc = (f[pos] & 0xffL) | (f[pos + 1] & 0xffL) << 8 | (f[pos + 2] & 0xffL) << 16 | (f[pos + 3] & 0xffL) << 24;
      int len = (f[pos + 4] & 0xff) | (f[pos + 5] & 0xff) << 8;
      int type = f[pos + 6] & 0xff;
      if (7 + len > left) {
        throw new CorruptFile("chunk at offset " + pos + " crosses a block boundary");
      }
      if (pos + 7 + len > f.length) {
        return new Framed(records, types, offsets, true);
      }
      byte[] payload = java.util.Arrays.copyOfRange(f, pos + 7, pos + 7 + len);
      if (crc32(new byte[] {(byte) type}, payload) != crc) {
        throw new CorruptFile("checksum mismatch in the chunk at offset " + pos);
      }
      types.add(type);
      offsets.add((long) pos);
      switch (type) {
        case 1 -> {
          if (partial != null) throw new CorruptFile("FULL chunk inside a record at " + pos);
          records.add(payload);
        }
        case 2 -> {
          if (partial != null) throw new CorruptFile("FIRST chunk inside a record at " + pos);
          partial = new java.io.ByteArrayOutputStream();
          partial.writeBytes(payload);
        }
        case 3, 4 -> {
          if (partial == null) throw new CorruptFile("chunk type " + type + " without FIRST at " + pos);
          partial.writeBytes(payload);
          if (type == 4) {
            records.add(partial.toByteArray());
            partial = null;
          }
        }
        default -> throw new CorruptFile("unknown chunk type " + type + " at " + pos);
      }
      pos += 7 + len;
    }
    return new Framed(records, types, offsets, partial != null);
  }

  // ---- protobuf wire format ----

  /** Decodes one message's fields: field number to values (Long for varints, byte[] for length-delimited). */
  public static Map<Integer, List<Object>> fields(byte[] m) throws CorruptFile {
    Map<Integer, List<Object>> out = new LinkedHashMap<>();
    int[] p = {0};
    while (p[0] < m.length) {
      long tag = varint(m, p);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      Object v;
      switch (wire) {
        case 0 -> v = varint(m, p);
        case 2 -> {
          int len = (int) varint(m, p);
          if (p[0] + len > m.length) throw new CorruptFile("length-delimited field " + field + " overruns");
          v = java.util.Arrays.copyOfRange(m, p[0], p[0] + len);
          p[0] += len;
        }
        case 1 -> { v = null; p[0] += 8; }
        case 5 -> { v = null; p[0] += 4; }
        default -> throw new CorruptFile("wire type " + wire);
      }
      out.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static long varint(byte[] m, int[] p) throws CorruptFile {
    long r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p[0] >= m.length) throw new CorruptFile("truncated varint");
      byte b = m[p[0]++];
      r |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return r;
    }
    throw new CorruptFile("varint too long");
  }

  private static String str(Map<Integer, List<Object>> f, int field) {
    List<Object> v = f.get(field);
    return v == null ? null : new String((byte[]) v.get(v.size() - 1), StandardCharsets.UTF_8);
  }

  private static long num(Map<Integer, List<Object>> f, int field) {
    List<Object> v = f.get(field);
    return v == null ? 0 : (Long) v.get(v.size() - 1);
  }

  private static byte[] msg(Map<Integer, List<Object>> f, int field) {
    List<Object> v = f.get(field);
    return v == null ? new byte[0] : (byte[]) v.get(v.size() - 1);
  }

  /** Items (key=1, value_json=16) of a repeated field, in order. */
  private static Map<String, String> items(Map<Integer, List<Object>> f, int field) throws CorruptFile {
    Map<String, String> out = new LinkedHashMap<>();
    for (Object o : f.getOrDefault(field, List.of())) {
      Map<Integer, List<Object>> item = fields((byte[]) o);
      out.put(str(item, 1), str(item, 16));
    }
    return out;
  }

  /** The run record's fields. */
  public record Run(String runId, String entity, String project, String group, String displayName,
      String notes, List<String> tags, long startSeconds, Map<String, String> config) {}

  /**
   * A whole decoded run.
   *
   * @param kinds each record's kind in order: header, run, config, history, summary, exit, final
   * @param nums each record's {@code num}
   * @param run the run record
   * @param config the config records' updates merged
   * @param history history rows (key to JSON value)
   * @param historySteps each history record's {@code step.num}
   * @param summary the summary records' updates merged
   * @param exitCode the exit record's code (null: no exit record)
   * @param runtime the exit record's runtime in seconds
   * @param truncated whether the file ends inside a record
   */
  public record Decoded(List<String> kinds, List<Long> nums, Run run, Map<String, String> config,
      List<Map<String, String>> history, List<Long> historySteps, Map<String, String> summary,
      Integer exitCode, long runtime, boolean truncated) {}

  /** Reads and decodes a {@code .wandb} file (a truncated tail is allowed and reported). */
  public static Decoded decode(Path file) throws IOException {
    Framed framed = frame(Files.readAllBytes(file));
    List<String> kinds = new ArrayList<>();
    List<Long> nums = new ArrayList<>();
    Run run = null;
    Map<String, String> config = new LinkedHashMap<>();
    List<Map<String, String>> history = new ArrayList<>();
    List<Long> steps = new ArrayList<>();
    Map<String, String> summary = new LinkedHashMap<>();
    Integer exit = null;
    long runtime = 0;
    for (byte[] r : framed.records()) {
      Map<Integer, List<Object>> rec = fields(r);
      nums.add(num(rec, 1));
      String kind = null;
      for (int field : rec.keySet()) {
        switch (field) {
          case 2 -> kind = "history";
          case 3 -> kind = "summary";
          case 5 -> kind = "config";
          case 17 -> kind = "run";
          case 18 -> kind = "exit";
          case 20 -> kind = "final";
          case 21 -> kind = "header";
          default -> { }
        }
      }
      if (kind == null) throw new CorruptFile("record without a known type: fields " + rec.keySet());
      kinds.add(kind);
      switch (kind) {
        case "history" -> {
          Map<Integer, List<Object>> h = fields(msg(rec, 2));
          history.add(items(h, 1));
          steps.add(num(fields(msg(h, 2)), 1));
        }
        case "summary" -> summary.putAll(items(fields(msg(rec, 3)), 1));
        case "config" -> config.putAll(items(fields(msg(rec, 5)), 1));
        case "run" -> {
          Map<Integer, List<Object>> f = fields(msg(rec, 17));
          List<String> tags = new ArrayList<>();
          for (Object t : f.getOrDefault(10, List.of())) tags.add(new String((byte[]) t, StandardCharsets.UTF_8));
          run = new Run(str(f, 1), str(f, 2), str(f, 3), str(f, 6), str(f, 8), str(f, 9), tags,
              num(fields(msg(f, 17)), 1), items(fields(msg(f, 4)), 1));
        }
        case "exit" -> {
          Map<Integer, List<Object>> f = fields(msg(rec, 18));
          exit = (int) num(f, 1);
          runtime = num(f, 2);
        }
        default -> { }
      }
    }
    return new Decoded(kinds, nums, run, config, history, steps, summary, exit, runtime, framed.truncated());
  }
}
