package dev.stepwise.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Shared helpers of the benchmark mains: machine load, medians, matmul peak, a char vocab. */
final class BenchSupport {
  private BenchSupport() {}

  /** @return the 1/5/15-minute load averages from /proc/loadavg, or "unknown" */
  static String load() {
    try {
      String s = Files.readString(Path.of("/proc/loadavg")).trim();
      String[] p = s.split(" ");
      return p[0] + " " + p[1] + " " + p[2] + " (1/5/15 min) on " + Runtime.getRuntime().availableProcessors() + " cores";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * fp32 matmul throughput in FLOP/s: median over {@code reps} of one n×n by n×n product (2n³
   * FLOPs), after five warm-up products (the first
   * products run slower while the cores ramp up).
   */
  static double matmulPeak(NDManager base, int n, int reps) {
    try (NDManager m = base.newSubManager()) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
      double[] t = new double[reps];
      for (int i = -5; i < reps; i++) {
        long s = System.nanoTime();
        NDArray c = a.dot(b);
        c.toFloatArray(); // force completion
        long e = System.nanoTime();
        c.close();
        if (i >= 0) {
          t[i] = (e - s) / 1e9;
        }
      }
      return 2.0 * n * n * n / median(t);
    }
  }

  /**
   * A 100-symbol character vocabulary standing in for the built-in char tokenizer: id 0 is EOS
   * and padding, ids 1..99 are printable ASCII characters.
   */
  static final class CharVocab implements Tokenizer {
    @Override
    public int[] encode(String text) {
      int[] ids = new int[text.length()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = Math.max(1, Math.min(99, text.charAt(i) - 31));
      }
      return ids;
    }

    @Override
    public String decode(int[] ids) {
      StringBuilder b = new StringBuilder(ids.length);
      for (int id : ids) {
        if (id > 0) {
          b.append((char) (id + 31));
        }
      }
      return b.toString();
    }

    @Override
    public int vocabSize() {
      return 100;
    }

    @Override
    public int eosId() {
      return 0;
    }

    @Override
    public int padId() {
      return 0;
    }

    @Override
    public String kind() {
      return "bench-char";
    }

    @Override
    public void save(Path dir) {
      throw new UnsupportedOperationException("benchmark vocabulary is not saved");
    }
  }
}
