package dev.stepwise.model.cpu;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import dev.stepwise.model.SamplingKernel;
import dev.stepwise.model.TokenChoice;
import dev.stepwise.model.TorchScript;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenChooser} against the real TorchScript kernel ({@link SamplingKernel#CHOOSE_METHOD}
 * compiled by libtorch): same ids row by row, except where u·c_last lies so close to a cdf
 * boundary (or the top-p sum so close to top_p) that float32 rounding may decide, and
 * log-probabilities within 1e-5.
 */
class TokenChooserTest {
  /**
   * Distance of u·c_last from a cdf boundary, relative to c_last, below which float32 rounding
   * may decide (cdf values carry a few float32 ulps of difference, ≈1e-7 relative).
   */
  static final double NEAR_CDF = 5e-7;

  /**
   * Distance of the top-p test (sum of the more likely probabilities vs top_p) below which
   * rounding may decide: libtorch sums the softmax normaliser in float32 lanes, about 1e-6
   * relative over 150k terms, and that moves every probability alike.
   */
  static final double NEAR_TOP_P = 3e-6;

  static final String CLASS = "ChooseProbe";
  static final String SOURCE =
      "class " + CLASS + "(Module):\n"
          + "  __parameters__ = []\n"
          + "  __buffers__ = []\n"
          + "  training : bool\n"
          + SamplingKernel.chooseMethod(CLASS);

  static NDManager base;
  static TorchScript kernel;

  @BeforeAll
  static void setUp() {
    base = NDManager.newBaseManager();
    kernel = TorchScript.compile(CLASS, SOURCE);
  }

  @AfterAll
  static void tearDown() {
    base.close();
  }

  /** The kernel's ids and log-probabilities for rows (B, V) and uniforms (B). */
  record KernelOut(long[] ids, float[] logprobs) {}

  static KernelOut kernel(float[] rows, int b, int v, float[] u, TokenChoice c) {
    try (NDManager m = base.newSubManager()) {
      IValue[] args = {
        IValue.from((PtNDArray) m.create(rows, new Shape(b, v))),
        IValue.from((PtNDArray) m.create(u, new Shape(b, 1))),
        IValue.from(c.greedy() ? 1.0 : 1.0 / c.temperature()),
        IValue.from((long) c.topK()),
        IValue.from(c.topP()),
        IValue.from(c.greedy())
      };
      try (IValue out = kernel.run("choose", args)) {
        IValue[] parts = out.toIValueTuple();
        try {
          return new KernelOut(
              parts[0].toTensor((PtNDManager) m).toLongArray(),
              parts[1].toTensor((PtNDManager) m).toFloatArray());
        } finally {
          for (IValue p : parts) {
            p.close();
          }
        }
      } finally {
        for (IValue a : args) {
          a.close();
        }
      }
    }
  }

  /**
   * Whether float32 rounding may decide this row: a double-precision replay of the rule finds
   * the top-p test within {@link #NEAR_TOP_P} of top_p or u·c_last within {@link
   * #NEAR_CDF} (relative) of a cdf boundary.
   */
  static boolean nearBoundary(float[] rows, int off, int v, TokenChoice c, float u) {
    if (c.greedy()) {
      return false;
    }
    float f = (float) (1.0 / c.temperature());
    double[] zz = new double[v];
    for (int i = 0; i < v; i++) {
      zz[i] = f == 1f ? rows[off + i] : rows[off + i] * f;
    }
    int k = c.topK() > 0 && c.topK() < v ? c.topK() : v;
    if (k < v || c.topP() < 1) {
      Arrays.sort(zz); // only the sorted values matter here
      for (int i = 0, j = v - 1; i < j; i++, j--) {
        double t = zz[i];
        zz[i] = zz[j];
        zz[j] = t;
      }
    }
    double max = Arrays.stream(zz).max().orElseThrow();
    double[] p = new double[k];
    double s = 0;
    for (int i = 0; i < k; i++) {
      p[i] = Math.exp(zz[i] - max);
      s += p[i];
    }
    double before = 0;
    for (int i = 0; i < k; i++) {
      p[i] /= s;
      if (c.topP() < 1) {
        if (Math.abs(before - c.topP()) <= NEAR_TOP_P) {
          return true;
        }
        double pi = p[i];
        if (!(before < c.topP())) {
          p[i] = 0;
        }
        before += pi;
      }
    }
    double[] cdf = new double[k];
    double acc = 0;
    for (int i = 0; i < k; i++) {
      acc += p[i];
      cdf[i] = acc;
    }
    double t = u * cdf[k - 1];
    for (int i = 0; i < k; i++) {
      if (Math.abs(cdf[i] - t) <= NEAR_CDF * cdf[k - 1]) {
        return true;
      }
    }
    return false;
  }

  /** Seeded rows: Gaussian logits with per-row spreads from 0.5 to 40. */
  static float[] rows(Random r, int b, int v) {
    return rows(r, b, v, new float[] {0.5f, 1f, 3f, 10f, 40f});
  }

  /** Seeded rows: Gaussian logits, row i with spread {@code spreads[i % spreads.length]}. */
  static float[] rows(Random r, int b, int v, float[] spreads) {
    float[] x = new float[b * v];
    for (int row = 0; row < b; row++) {
      float s = spreads[row % spreads.length];
      float shift = (float) r.nextGaussian() * 5;
      for (int i = 0; i < v; i++) {
        x[row * v + i] = (float) r.nextGaussian() * s + shift;
      }
    }
    return x;
  }

  /** Compares every row; returns the number of rows near a boundary. */
  static int compare(float[] x, int b, int v, float[] u, TokenChoice c) {
    KernelOut ref = kernel(x, b, v, u, c);
    TokenChooser ch = new TokenChooser(v);
    int near = 0;
    for (int row = 0; row < b; row++) {
      int id = ch.choose(x, row * v, c, u[row]);
      boolean ambiguous = nearBoundary(x, row * v, v, c, u[row]);
      if (ambiguous) {
        near++;
      }
      if (!ambiguous || id == ref.ids[row]) {
        String where = c + " V=" + v + " row " + row + " u=" + u[row];
        assertEquals(ref.ids[row], id, where);
        assertEquals(ref.logprobs[row], ch.lastLogprob(), 1e-5, where);
      }
    }
        return near;
  }

  static final TokenChoice[] SETTINGS = {
    new TokenChoice(true, 1.0, 0, 1.0),
    new TokenChoice(false, 1.0, 0, 1.0),
    new TokenChoice(false, 0.7, 0, 1.0),
    new TokenChoice(false, 1.0, 5, 1.0),
    new TokenChoice(false, 1.0, 1, 1.0),
    new TokenChoice(false, 1.0, 0, 0.9),
    new TokenChoice(false, 0.7, 20, 0.8),
    new TokenChoice(false, 1.3, 300, 1.0),
    new TokenChoice(false, 1.0, 100_000, 1.0),
  };

  @Test
  void matchesTheTorchScriptKernelRowByRow() {
    Random r = new Random(20260);
    int b = 500;
    for (int v : new int[] {100, 1000}) {
      for (TokenChoice c : SETTINGS) {
        float[] x = rows(r, b, v);
        float[] u = new float[b];
        for (int i = 0; i < b; i++) {
          u[i] = r.nextFloat();
        }
        int near = compare(x, b, v, u, c);
        assertTrue(near <= b / 50, near + " of " + b + " rows near a boundary for " + c + " V=" + v);
      }
    }
  }

  @Test
  void matchesTheKernelAtQwenVocabularySize() {
    Random r = new Random(7);
    int b = 20;
    int v = 151_936;
    for (TokenChoice c :
        new TokenChoice[] {
          new TokenChoice(false, 1.0, 0, 1.0),
          new TokenChoice(false, 0.8, 0, 0.95),
          new TokenChoice(false, 1.0, 50, 1.0),
          new TokenChoice(true, 1.0, 0, 1.0)
        }) {
      // peaked rows, as a trained model's are: over 150k flat logits the top-p sums and cdf
      // boundaries lie ~1e-5 apart, so most rows would be near one and test nothing
      float[] x = rows(r, b, v, new float[] {3f, 10f, 40f});
      float[] u = new float[b];
      for (int i = 0; i < b; i++) {
        u[i] = r.nextFloat();
      }
      int near = compare(x, b, v, u, c);
      assertTrue(near <= b / 4, near + " of " + b + " rows near a boundary for " + c);
    }
  }

  @Test
  void uZeroPicksTheFirstKeptTokenAndUJustBelowOneTheLast() {
    Random r = new Random(3);
    int v = 64;
    int b = 20;
    float[] x = rows(r, b, v);
    float below = Math.nextDown(1f);
    TokenChooser ch = new TokenChooser(v);
    TokenChoice top5 = new TokenChoice(false, 1.0, 5, 1.0);
    TokenChoice plain = new TokenChoice(false, 1.0, 0, 1.0);
    float[] zeros = new float[b];
    float[] ones = new float[b];
    Arrays.fill(ones, below);
    long[] ref0 = kernel(x, b, v, zeros, top5).ids;
    long[] ref1 = kernel(x, b, v, ones, top5).ids;
    long[] refPlain0 = kernel(x, b, v, zeros, plain).ids;
    for (int row = 0; row < b; row++) {
      Integer[] order = new Integer[v];
      for (int i = 0; i < v; i++) {
        order[i] = i;
      }
      int off = row * v;
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -x[off + i]));
      assertEquals((int) order[0], ch.choose(x, off, top5, 0f), "u = 0, top-5, row " + row);
      assertEquals(ref0[row], (long) order[0]);
      assertEquals(0, ch.choose(x, off, plain, 0f), "u = 0 without a cut-off is token 0");
      assertEquals(0, refPlain0[row]);
      int last = ch.choose(x, off, top5, below);
      assertEquals(ref1[row], last, "u just below 1, top-5, row " + row);
      // the 5th token is the last kept one unless its probability is below one float32 ulp of c_last
      double p5 = Math.exp(x[off + order[4]] - x[off + order[0]]);
      if (p5 > 1e-5) {
        assertEquals((int) order[4], last, "u just below 1 picks the 5th, row " + row);
      }
    }
  }

  @Test
  void greedyTiesPickTheFirstIndexLikeTorchArgmax() {
    int v = 10;
    float[] x = {0.5f, -1f, 3f, 2f, 3f, 1f, 3f, 0f, -2f, 2.5f};
    TokenChoice greedy = new TokenChoice(true, 1.0, 0, 1.0);
    TokenChooser ch = new TokenChooser(v);
    assertEquals(2, ch.choose(x, 0, greedy, 0.5f));
    KernelOut ref = kernel(x, 1, v, new float[] {0.5f}, greedy);
    assertEquals(ref.ids[0], 2);
    assertEquals(ref.logprobs[0], ch.lastLogprob(), 1e-6);
    // top-1 sampling agrees with greedy, also at the end of a longer row
    float[] y = new float[300];
    Arrays.fill(y, -1f);
    y[299] = 4f;
    TokenChooser big = new TokenChooser(300);
    assertEquals(299, big.choose(y, 0, greedy, 0f));
    assertEquals(299, big.choose(y, 0, new TokenChoice(false, 1.0, 1, 1.0), 0.99f));
  }

  @Test
  void rejectsRowsThatDoNotFitAndUOutsideTheUnitInterval() {
    TokenChooser ch = new TokenChooser(8);
    TokenChoice c = new TokenChoice(false, 1.0, 0, 1.0);
    assertThrows(IndexOutOfBoundsException.class, () -> ch.choose(new float[10], 3, c, 0.5f));
    assertThrows(IllegalArgumentException.class, () -> ch.choose(new float[8], 0, c, 1f));
    assertThrows(IllegalArgumentException.class, () -> ch.choose(new float[8], 0, c, Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> new TokenChooser(0));
  }
}
