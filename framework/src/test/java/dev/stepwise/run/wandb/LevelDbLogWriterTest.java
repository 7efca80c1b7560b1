package dev.stepwise.run.wandb;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LevelDB-log framing of {@code .wandb} files, checked with the independent {@link WandbFileReader}. */
class LevelDbLogWriterTest {
  static final int B = LevelDbLogWriter.BLOCK;
  @TempDir Path tmp;

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  Path write(String name, List<byte[]> records) throws Exception {
    Path f = tmp.resolve(name);
    try (LevelDbLogWriter w = LevelDbLogWriter.create(f)) {
      for (byte[] r : records) {
        w.append(r);
        assertEquals(Files.size(f), w.offset(), "offset tracks the file length (nothing buffered)");
      }
    }
    return f;
  }

  static void assertRecords(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "record " + i);
    }
  }

  @Test
  void readerCrcIsTheIeeeZlibVariant() {
    // The standard CRC-32 check value (zlib.crc32(b"123456789") == 0xCBF43926).
    assertEquals(0xCBF43926L, WandbFileReader.crc32("123456789".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void headerAndSmallRecordsAreFullChunks() throws Exception {
    List<byte[]> recs = List.of("a".getBytes(StandardCharsets.UTF_8), new byte[0], random(300, 1));
    byte[] f = Files.readAllBytes(write("small.wandb", recs));
    assertArrayEquals(new byte[] {':', 'W', '&', 'B', (byte) 0xE1, (byte) 0xBE, 0}, java.util.Arrays.copyOf(f, 7));
    assertEquals(7 + 3 * 7 + 1 + 0 + 300, f.length);
    WandbFileReader.Framed r = WandbFileReader.frame(f);
    assertRecords(recs, r.records());
    assertEquals(List.of(1, 1, 1), r.chunkTypes());
    assertEquals(List.of(7L, 15L, 22L), r.chunkOffsets());
    assertFalse(r.truncated());
  }

  @Test
  void recordsLongerThanABlockAreSplitFirstMiddleLast() throws Exception {
    List<byte[]> recs = List.of(random(10, 2), random(100_000, 3), random(B - 7, 4), random(5, 5));
    WandbFileReader.Framed r = WandbFileReader.frame(Files.readAllBytes(write("long.wandb", recs)));
    assertRecords(recs, r.records());
    // 100,000 bytes from offset 24: FIRST (32737) + 2 MIDDLE (32761 each) + LAST (1741)
    assertEquals(List.of(1, 2, 3, 3, 4, 2, 4, 1), r.chunkTypes());
    for (int i = 1; i < 5; i++) {
      long off = r.chunkOffsets().get(i);
      assertTrue(i == 1 || off % B == 0, "MIDDLE/LAST chunks start a block: " + off);
    }
  }

  @Test
  void recordsEndingZeroToSevenBytesBeforeABlockBoundary() throws Exception {
    for (int k = 0; k <= 8; k++) {
      // header (7) + chunk header (7) + payload = B - k
      byte[] fill = random(B - 14 - k, 10 + k);
      byte[] next = random(100, 20 + k);
      byte[] third = random(40, 30 + k);
      List<byte[]> recs = List.of(fill, next, third);
      byte[] f = Files.readAllBytes(write("edge" + k + ".wandb", recs));
      WandbFileReader.Framed r = WandbFileReader.frame(f);
      assertRecords(recs, r.records());
      assertEquals(B - k, r.chunkOffsets().get(0) + 7 + fill.length);
      if (k < 7) {
        for (int i = B - k; i < B; i++) {
          assertEquals(0, f[i], "padding byte " + i + " for k=" + k);
        }
        assertEquals(List.of(1, 1, 1), r.chunkTypes(), "k=" + k);
        assertEquals((long) B, r.chunkOffsets().get(1), "k=" + k);
      } else if (k == 7) {
        // exactly a chunk header fits: an empty FIRST chunk, the payload in a LAST chunk
        assertEquals(List.of(1, 2, 4, 1), r.chunkTypes());
        assertEquals((long) B - 7, r.chunkOffsets().get(1));
        assertEquals(0, (f[B - 3] & 0xff) | (f[B - 2] & 0xff) << 8, "empty FIRST payload");
        assertEquals((long) B, r.chunkOffsets().get(2));
      } else {
        // 8 bytes left: a FIRST chunk with one payload byte
        assertEquals(List.of(1, 2, 4, 1), r.chunkTypes());
        assertEquals(1, (f[B - 4] & 0xff) | (f[B - 3] & 0xff) << 8);
      }
    }
  }

  @Test
  void aFlippedByteIsCaughtByTheChecksum() throws Exception {
    List<byte[]> recs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      recs.add(random(1000 + 97 * i, 40 + i));
    }
    byte[] f = Files.readAllBytes(write("flip.wandb", recs));
    assertRecords(recs, WandbFileReader.frame(f).records());
    for (int at : new int[] {7 + 3, 7 + 7 + 500, f.length / 2, f.length - 1}) {
      byte[] bad = f.clone();
      bad[at] ^= 0x10;
      WandbFileReader.CorruptFile e =
          assertThrows(WandbFileReader.CorruptFile.class, () -> WandbFileReader.frame(bad), "flip at " + at);
      assertTrue(e.getMessage().contains("checksum") || e.getMessage().contains("crosses"), e.getMessage());
    }
  }

  @Test
  void refusesToOverwriteAnExistingFile() throws Exception {
    Path f = write("once.wandb", List.of(random(5, 1)));
    assertThrows(java.io.IOException.class, () -> LevelDbLogWriter.create(f));
    assertEquals(7 + 7 + 5, Files.size(f));
  }
}
