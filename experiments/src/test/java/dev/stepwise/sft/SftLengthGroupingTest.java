package dev.stepwise.sft;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.train.DataOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code trainer.group_by_length} on SFT data: the grouped order is a function of the seed, visits
 * every example once per epoch, starts with the longest example, and the collated micro-batches
 * carry far fewer pad tokens than the plain shuffle's.
 */
class SftLengthGroupingTest {
  static final int N = 96, B = 4, MAX_LEN = 64;

  static SftData data() {
    Random r = new Random(11);
    List<SftExample> ex = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      int p = 2 + r.nextInt(6), c = 1 + r.nextInt(i % 3 == 0 ? 50 : 8); // a third long, most short
      ex.add(new SftExample(r.ints(p, 3, 30).toArray(), r.ints(c, 3, 30).toArray()));
    }
    return new SftData(ex, MAX_LEN, 0);
  }

  /** Pad tokens of one epoch's collated micro-batches; checks that each example is used once. */
  static long padTokens(SftData d, DataOrder order) {
    int[] seen = new int[N];
    long pads = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      for (int k = 0; k < order.batchesPerEpoch(); k++) {
        int[] idx = order.next();
        for (int i : idx) {
          seen[i]++;
        }
        try (NDManager step = m.newSubManager()) {
          SftBatch b = d.collate(idx, step);
          pads += b.attentionMask().size() - b.attentionMask().sum().getLong();
        }
      }
    }
    int[] ones = new int[N];
    Arrays.fill(ones, 1);
    assertArrayEquals(ones, seen, "every example exactly once per epoch");
    return pads;
  }

  static int[] lengths(SftData d) {
    int[] l = new int[N];
    for (int i = 0; i < N; i++) {
      l[i] = d.length(i);
      assertEquals(Math.min(MAX_LEN, d.get(i).promptIds().length + d.get(i).completionIds().length - 1), l[i]);
    }
    return l;
  }

  @Test
  void groupedBatchesAreDeterministicCompleteAndCarryLessPadding() {
    SftData d = data();
    int[] len = lengths(d);
    long plain = padTokens(d, new DataOrder(N, B, 7));
    long grouped = padTokens(d, new DataOrder(N, B, 7, len));
    assertTrue(grouped < 0.5 * plain, "pad tokens: grouped " + grouped + " vs plain " + plain);

    DataOrder a = new DataOrder(N, B, 7, len), b = new DataOrder(N, B, 7, len), c = new DataOrder(N, B, 8, len);
    assertArrayEquals(a.permutation(3), b.permutation(3), "same seed, same order");
    assertFalse(Arrays.equals(a.permutation(3), c.permutation(3)), "another seed, another order");
    assertFalse(Arrays.equals(a.permutation(0), a.permutation(1)), "epochs differ");
    int max = Arrays.stream(len).max().orElseThrow();
    assertEquals(max, len[a.permutation(2)[0]], "the longest example comes first");
  }
}
