package dev.stepwise.preference.dpo;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.preference.data.PairBatch;
import dev.stepwise.preference.data.PairData;
import dev.stepwise.preference.data.PreferencePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference log-probabilities: computed once, reused bit-exactly, invalidated by their inputs. */
class ReferenceCacheTest {
  @TempDir Path tmp;

  @Test
  void cachedValuesAreReusedBitExactlyAndInvalidatedByChangedInputs() throws Exception {
    List<PreferencePair> pairs = TinyPolicy.additionPairs(6);
    CharTokenizer tok = TinyPolicy.tokenizer(pairs);
    Path ref = TinyPolicy.checkpoint(tmp.resolve("ref"), tok, 3);
    Path cache = tmp.resolve("cache");
    try (NDManager m = NDManager.newBaseManager()) {
      PairData data = PairData.of(pairs, tok, 64);
      DpoJob.precompute(ref, cache, data, 4, false, m);
      assertTrue(data.hasReference());
      assertEquals(1, files(cache).size());

      // What the reference model gives, computed independently of the cache.
      float[][] direct = ReferenceLogProbs.compute(ModelCheckpoint.load(ref, m), PairData.of(pairs, tok, 64), 3, false);
      String key = ReferenceCache.key(data, ref.resolve(ModelCheckpoint.WEIGHTS), false);
      float[][] read = ReferenceCache.read(cache, key).orElseThrow();
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < 6; i++) {
          assertEquals(Float.floatToRawIntBits(attached(data, i, m)[s]), Float.floatToRawIntBits(read[s][i]), "bit-exact " + s + "/" + i);
          assertEquals(direct[s][i], read[s][i], 1e-4, "cache holds the reference's values");
        }
      }

      // A second run reuses the file: compute is not called again.
      AtomicInteger calls = new AtomicInteger();
      float[][] again = ReferenceCache.getOrCompute(cache, key, () -> {
        calls.incrementAndGet();
        return direct;
      });
      assertEquals(0, calls.get());
      assertArrayEquals(read[0], again[0]);
      // ... and precompute attaches what the file holds (proved with marked values).
      float[][] marked = {new float[6], new float[6]};
      marked[0][2] = -123.5f;
      ReferenceCache.write(cache, key, marked);
      PairData fresh = PairData.of(pairs, tok, 64);
      DpoJob.precompute(ref, cache, fresh, 4, false, m);
      assertEquals(-123.5f, attached(fresh, 2, m)[0]);

      // A changed pair, the IPO averaging, or other reference weights each select a new file.
      List<PreferencePair> edited = new ArrayList<>(pairs);
      PreferencePair p = edited.get(4);
      edited.set(4, new PreferencePair(p.id(), p.prompt(), p.chosen() + "!", p.rejected(), true, 1.0, 0.0));
      PairData changed = PairData.of(edited, tok, 64);
      assertNotEquals(key, ReferenceCache.key(changed, ref.resolve(ModelCheckpoint.WEIGHTS), false));
      DpoJob.precompute(ref, cache, changed, 4, false, m);
      assertEquals(2, files(cache).size());
      assertNotEquals(-123.5f, attached(changed, 2, m)[0], "stale values must not be reused");
      assertNotEquals(key, ReferenceCache.key(data, ref.resolve(ModelCheckpoint.WEIGHTS), true));
      Path other = TinyPolicy.checkpoint(tmp.resolve("other"), tok, 4);
      assertNotEquals(key, ReferenceCache.key(data, other.resolve(ModelCheckpoint.WEIGHTS), false));

      // A truncated file is ignored (recomputed), never half-read.
      Files.write(ReferenceCache.file(cache, key), new byte[] {1, 2, 3});
      assertTrue(ReferenceCache.read(cache, key).isEmpty());
    }
  }

  /** @return {chosen, rejected} reference values the data attaches to pair {@code i} */
  private static float[] attached(PairData d, int i, NDManager m) {
    PairBatch b = d.collate(new int[] {i}, m);
    return new float[] {b.refChosen().toFloatArray()[0], b.refRejected().toFloatArray()[0]};
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".bin")).toList();
    }
  }
}
