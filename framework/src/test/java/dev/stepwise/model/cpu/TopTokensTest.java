package dev.stepwise.model.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link TopTokens}' orders against a plain comparison sort (value descending, then index). */
class TopTokensTest {
  /** Rows with many ties (values on a coarse grid), negative zeros and −∞. */
  static float[] row(Random r, int v, float spread) {
    float[] a = new float[v];
    for (int i = 0; i < v; i++) {
      a[i] = Math.round(r.nextGaussian() * spread * 4) / 4f;
    }
    a[r.nextInt(v)] = -0f;
    a[r.nextInt(v)] = Float.NEGATIVE_INFINITY;
    return a;
  }

  static int[] reference(float[] a) {
    return IntStream.range(0, a.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -(a[i] + 0.0)).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  @Test
  void sortAllAndHeapAgreeWithAComparisonSortTiesIncluded() {
    Random r = new Random(5);
    for (int v : new int[] {1, 7, 300, 5000}) {
      TopTokens t = new TopTokens(v);
      for (float spread : new float[] {0.5f, 3f, 40f}) {
        float[] a = row(r, v, spread);
        int[] ref = reference(a);
        t.sortAll(a, 0);
        assertArrayEquals(ref, t.order, "sortAll V=" + v);
        for (int k : new int[] {1, 5, Math.min(v, TopTokens.HEAP_MAX)}) {
          if (k <= v) {
            t.heapTopK(a, 0, k);
            assertArrayEquals(Arrays.copyOf(ref, k), Arrays.copyOf(t.order, k), "heap k=" + k + " V=" + v);
          }
        }
      }
    }
  }

  @Test
  void sortTopMassReturnsTheHeadThatHoldsTheMass() {
    Random r = new Random(9);
    int v = 20_000;
    TopTokens t = new TopTokens(v);
    int heads = 0;
    for (float spread : new float[] {0.3f, 2f, 8f, 30f}) {
      float[] a = row(r, v, spread);
      float max = Float.NEGATIVE_INFINITY;
      for (float x : a) {
        max = Math.max(max, x);
      }
      float[] e = new float[v];
      double total = 0;
      for (int i = 0; i < v; i++) {
        e[i] = (float) Math.exp(a[i] - max);
        total += e[i];
      }
      int[] ref = reference(a);
      int h = t.sortTopMass(a, 0, e, (float) total, 0.9);
      if (h == 0) {
        continue; // too flat: the caller sorts everything
      }
      heads++;
      assertTrue(h <= v / 4);
      assertArrayEquals(Arrays.copyOf(ref, h), Arrays.copyOf(t.order, h), "head, spread " + spread);
      double mass = 0;
      for (int i = 0; i < h; i++) {
        mass += e[t.order[i]];
      }
      assertTrue(mass >= 0.9 * total, "the head holds top_p of the mass");
    }
    assertTrue(heads >= 2, "peaked rows take the head-only path");
  }
}
