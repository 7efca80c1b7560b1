package dev.stepwise.preference.dpo;

import dev.stepwise.preference.data.PairData;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference log-probabilities on disk, so that a run (or a resumed run, or another loss type
 * over the same pairs) scores the pairs with the reference model only once.
 *
 * <p><b>Key.</b> SHA-256 over a format tag, the averaging flag (IPO's per-token means differ from
 * sums), the data's context length and every pair's token ids in order ({@link
 * PairData#digest}), and the bytes of the reference model's weights file. Changing a pair's
 * prompt, chosen or rejected text, their order, the tokenizer, the reference checkpoint or the
 * loss's averaging therefore selects a different file; the old file is left as it is.
 *
 * <p><b>File.</b> {@code <dir>/ref_logps-<key>.bin}: the ASCII tag {@code STEPWISE-REFLOGPS-1},
 * the 64-hex key, the pair count N (int32), then N chosen and N rejected float32 values,
 * big-endian. Floats are written as their IEEE bits, so a read returns the computed values
 * bit-exactly. Written to a temporary file and renamed, so a killed run leaves no partial cache.
 */
public final class ReferenceCache {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceCache.class);
  private static final String TAG = "STEPWISE-REFLOGPS-1";

  private ReferenceCache() {}

  /**
   * @param data the tokenised pairs
   * @param referenceWeights the reference checkpoint's weights file ({@code model.safetensors})
   * @param average per-token means (IPO) instead of sums
   * @return 64 lowercase hex characters
   * @throws IOException when the weights file cannot be read
   */
  public static String key(PairData data, Path referenceWeights, boolean average) throws IOException {
    MessageDigest md = sha256();
    md.update((TAG + "\naverage=" + average + "\n").getBytes(StandardCharsets.UTF_8));
    data.digest(md);
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(referenceWeights)) {
      for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
        md.update(buf, 0, r);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** @return the cache file for {@code key} in {@code dir} */
  public static Path file(Path dir, String key) {
    return dir.resolve("ref_logps-" + key + ".bin");
  }

  /**
   * @return the cached {@code {chosen, rejected}} for {@code key}, or empty when there is no file
   *     or its header does not match (a corrupt file is ignored with a warning and recomputed)
   * @throws IOException when an existing file cannot be read
   */
  public static Optional<float[][]> read(Path dir, String key) throws IOException {
    Path f = file(dir, key);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
      byte[] head = in.readNBytes(TAG.length() + 64);
      String expect = TAG + key;
      if (!new String(head, StandardCharsets.US_ASCII).equals(expect)) {
        LOG.warn("{}: header does not match its key; recomputing", f);
        return Optional.empty();
      }
      int n = in.readInt();
      float[][] v = new float[2][n];
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < n; i++) {
          v[s][i] = Float.intBitsToFloat(in.readInt());
        }
      }
      return Optional.of(v);
    } catch (java.io.EOFException e) {
      LOG.warn("{}: truncated; recomputing", f);
      return Optional.empty();
    }
  }

  /**
   * Writes {@code values} under {@code key} (atomically: temporary file, then rename).
   *
   * @param values {@code {chosen, rejected}} of equal length
   * @throws IOException when the directory or file cannot be written
   */
  public static void write(Path dir, String key, float[][] values) throws IOException {
    Files.createDirectories(dir);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write((TAG + key).getBytes(StandardCharsets.US_ASCII));
      out.writeInt(values[0].length);
      for (float[] side : values) {
        for (float x : side) {
          out.writeInt(Float.floatToRawIntBits(x));
        }
      }
    }
    Path tmp = Files.createTempFile(dir, "ref_logps-", ".tmp");
    Files.write(tmp, bytes.toByteArray());
    Files.move(tmp, file(dir, key), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Returns the cached values for {@code key}, computing and writing them on a miss.
   *
   * @param compute produces {@code {chosen, rejected}} (called only on a miss)
   * @throws IOException when the cache cannot be read or written
   */
  public static float[][] getOrCompute(Path dir, String key, Supplier<float[][]> compute) throws IOException {
    Optional<float[][]> hit = read(dir, key);
    if (hit.isPresent()) {
      LOG.info("reference log-probs: reusing {}", file(dir, key));
      return hit.get();
    }
    float[][] v = compute.get();
    write(dir, key, v);
    LOG.info("reference log-probs: computed {} pairs, cached in {}", v[0].length, file(dir, key));
    return v;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
