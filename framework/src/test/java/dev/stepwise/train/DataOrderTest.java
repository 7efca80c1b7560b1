package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataOrderTest {
  @Test
  void eachEpochIsASeededPermutationCutIntoMicroBatches() {
    DataOrder o = new DataOrder(10, 4, 7);
    assertEquals(3, o.batchesPerEpoch());
    int[] seen = IntStream.concat(IntStream.concat(Arrays.stream(o.next()), Arrays.stream(o.next())),
        Arrays.stream(o.next())).toArray();
    assertEquals(10, seen.length); // last micro-batch is short (2)
    assertArrayEquals(IntStream.range(0, 10).toArray(), Arrays.stream(seen).sorted().toArray());
    assertEquals(1, o.epoch());
    assertEquals(0, o.position());
    assertArrayEquals(new DataOrder(10, 4, 7).permutation(1), o.permutation(1));
    assertFalse(Arrays.equals(o.permutation(0), o.permutation(1)), "epochs are reshuffled");
    assertFalse(Arrays.equals(o.permutation(0), new DataOrder(10, 4, 8).permutation(0)), "seed matters");
  }

  @Test
  void seekReproducesTheStream() {
    DataOrder a = new DataOrder(9, 2, 3);
    for (int i = 0; i < 7; i++) {
      a.next();
    }
    DataOrder b = new DataOrder(9, 2, 3);
    b.seek(a.epoch(), a.position());
    assertEquals(1, a.epoch());
    assertEquals(2, a.position());
    assertEquals(1 + 2 / 5.0, a.fractionalEpoch(), 1e-12);
    for (int i = 0; i < 12; i++) {
      assertArrayEquals(a.next(), b.next(), "micro-batch " + i);
    }
  }
}
