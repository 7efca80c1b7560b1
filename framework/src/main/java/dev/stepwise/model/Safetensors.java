package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the Hugging Face {@code safetensors} format: an 8-byte little-endian header
 * length, a JSON header mapping each tensor name to {@code {"dtype", "shape", "data_offsets"}}
 * (offsets relative to the end of the header), an optional {@code "__metadata__"} string map,
 * then the raw little-endian tensor bytes.
 *
 * <p>Supported dtypes: F32, F64, I64, I32, I8, U8, BOOL, F16 (read as DJL float16) and BF16.
 * BF16 is widened to float32 here, in Java, before DJL sees the data: DJL 0.35 crashes the JVM
 * on BF16 tensors (DESIGN.md, known traps). Writes are atomic (temporary file, then rename), so
 * a crash never leaves a half-written checkpoint under the final name.
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  /**
   * Writes tensors in the given iteration order.
   *
   * @param file destination; replaced atomically
   * @param tensors name to array (any supported dtype, any shape, dense)
   * @param metadata optional string metadata (may be empty)
   * @throws IOException when the file cannot be written
   */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    List<ByteBuffer> blobs = new ArrayList<>(tensors.size());
    long offset = 0;
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      NDArray a = e.getValue();
      ByteBuffer bytes = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", dtypeName(a.getDataType(), e.getKey()));
      var shape = t.putArray("shape");
      for (long d : a.getShape().getShape()) {
        shape.add(d);
      }
      t.putArray("data_offsets").add(offset).add(offset + bytes.remaining());
      offset += bytes.remaining();
      blobs.add(bytes);
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int pad = (8 - json.length % 8) % 8; // align data to 8 bytes, as the reference writer does
    ByteBuffer head = ByteBuffer.allocate(8 + json.length + pad).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(json.length + pad).put(json);
    for (int i = 0; i < pad; i++) {
      head.put((byte) ' ');
    }
    head.flip();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(head);
      for (ByteBuffer b : blobs) {
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads every tensor of a file into {@code manager}, in the header's order. The file is read
   * tensor by tensor with positional reads (no memory map), so besides the arrays themselves at
   * most one tensor's bytes (two for BF16, widened in Java) are held at a time.
   *
   * @throws UserError when the file is not a valid safetensors file or is truncated (names the
   *     file, and the tensor when one is affected)
   * @throws IOException when the file cannot be read
   */
  public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new UserError(file + ": not a safetensors file (shorter than 8 bytes)");
      }
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 0, file, "header length");
      long n = len.getLong(0);
      if (n <= 0 || n > size - 8 || n > Integer.MAX_VALUE) {
        throw new UserError(file + ": not a safetensors file (header length " + n + ", file size " + size + ")");
      }
      ByteBuffer json = ByteBuffer.allocate((int) n);
      readFully(ch, json, 8, file, "header");
      JsonNode header;
      try {
        header = JSON.readTree(json.array());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UserError(file + ": not a safetensors file (header is not JSON: " + e.getOriginalMessage() + ")", e);
      }
      long base = 8 + n;
      Map<String, NDArray> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode t = e.getValue();
        String dtype = t.path("dtype").asText();
        long[] dims = new long[t.path("shape").size()];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = t.path("shape").get(i).asLong();
        }
        long start = base + t.path("data_offsets").path(0).asLong(-1);
        long end = base + t.path("data_offsets").path(1).asLong(-1);
        if (start < base || start > end || end - start > Integer.MAX_VALUE) {
          throw new UserError(file + ": tensor '" + e.getKey() + "' has invalid data offsets " + t.path("data_offsets"));
        }
        if (end > size) {
          throw new UserError(file + ": truncated: tensor '" + e.getKey() + "' ends at byte " + end
              + " but the file has " + size + " bytes");
        }
        Shape shape = new Shape(dims);
        long expected = shape.size() * bytesPer(dtype, file, e.getKey());
        if (expected != end - start) {
          throw new UserError(file + ": tensor '" + e.getKey() + "' is " + dtype + " " + shape + " (" + expected
              + " bytes) but its data offsets span " + (end - start) + " bytes");
        }
        ByteBuffer data = ByteBuffer.allocateDirect((int) (end - start)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, start, file, "tensor '" + e.getKey() + "'");
        out.put(e.getKey(), decode(data, dtype, shape, manager, file, e.getKey()));
      }
      return out;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file, String what) throws IOException {
    long p = pos;
    while (b.hasRemaining()) {
      int r = ch.read(b, p);
      if (r < 0) {
        throw new UserError(file + ": truncated while reading " + what);
      }
      p += r;
    }
    b.flip();
  }

  private static int bytesPer(String dtype, Path file, String name) {
    return switch (dtype) {
      case "F64", "I64" -> 8;
      case "F32", "I32" -> 4;
      case "F16", "BF16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> throw new UserError(file + ": tensor '" + name + "' has unsupported dtype " + dtype);
    };
  }

  private static NDArray decode(
      ByteBuffer bytes, String dtype, Shape shape, NDManager m, Path file, String name) {
    if (dtype.equals("BF16")) {
      // Widen bfloat16 to float32: the 16 bits are the high half of the float32 pattern.
      int count = bytes.remaining() / 2;
      ByteBuffer wide = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
      for (int i = 0; i < count; i++) {
        wide.putInt((bytes.getShort(2 * i) & 0xFFFF) << 16);
      }
      wide.flip();
      return m.create(wide, shape, DataType.FLOAT32);
    }
    DataType type = switch (dtype) {
      case "F32" -> DataType.FLOAT32;
      case "F64" -> DataType.FLOAT64;
      case "F16" -> DataType.FLOAT16;
      case "I64" -> DataType.INT64;
      case "I32" -> DataType.INT32;
      case "I8" -> DataType.INT8;
      case "U8" -> DataType.UINT8;
      case "BOOL" -> DataType.BOOLEAN;
      default -> throw new UserError(file + ": tensor '" + name + "' has unsupported dtype " + dtype);
    };
    return m.create(bytes, shape, type);
  }

  private static String dtypeName(DataType t, String name) {
    return switch (t) {
      case FLOAT32 -> "F32";
      case FLOAT64 -> "F64";
      case FLOAT16 -> "F16";
      case INT64 -> "I64";
      case INT32 -> "I32";
      case INT8 -> "I8";
      case UINT8 -> "U8";
      case BOOLEAN -> "BOOL";
      default -> throw new IllegalArgumentException("cannot write tensor '" + name + "' of type " + t);
    };
  }
}
