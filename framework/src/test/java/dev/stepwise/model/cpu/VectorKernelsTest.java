package dev.stepwise.model.cpu;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.TorchOps;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Java decoder's kernels against plain loops and libtorch's ops, at sizes with every tail. */
class VectorKernelsTest {
  static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  @Test
  void gemmMatchesTheTripleLoopForEveryTile() {
    Random r = new Random(1);
    int[][] sizes = {{1, 1, 1}, {3, 7, 5}, {4, 16, 32}, {7, 33, 100}, {9, 128, 384}, {16, 512, 128}, {5, 3, 49}};
    for (int[] s : sizes) {
      int m = s[0], k = s[1], n = s[2];
      float[] a = random(r, m * k);
      float[] w = random(r, k * n);
      float[] bias = random(r, n);
      float[] c0 = random(r, m * n);
      for (boolean withBias : new boolean[] {false, true}) {
        for (boolean acc : new boolean[] {false, true}) {
          float[] c = c0.clone();
          Gemm.matmul(a, m, k, w, n, withBias ? bias : null, c, acc);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double e = (acc ? c0[i * n + j] : 0) + (withBias ? bias[j] : 0);
              for (int q = 0; q < k; q++) {
                e += (double) a[i * k + q] * w[q * n + j];
              }
              assertEquals(e, c[i * n + j], 1e-4 * Math.sqrt(k) + 1e-5,
                  m + "x" + k + "x" + n + " bias=" + withBias + " acc=" + acc + " at (" + i + "," + j + ")");
            }
          }
        }
      }
    }
  }

  @Test
  void geluAndLayerNormMatchLibtorch() {
    Random r = new Random(2);
    int m = 5;
    int d = 37; // a vector tail on every row
    float[] x = random(r, m * d);
    for (int i = 0; i < x.length; i += 7) {
      x[i] *= 6; // reach the erf's saturated range
    }
    float[] g = random(r, d);
    float[] b = random(r, d);
    try (NDManager nd = NDManager.newBaseManager()) {
      NDArray xa = nd.create(x, new Shape(m, d));
      float[] geluRef = TorchOps.gelu(xa).toFloatArray();
      float[] gelu = x.clone();
      VectorMath.gelu(gelu, gelu.length);
      for (int i = 0; i < x.length; i++) {
        assertEquals(geluRef[i], gelu[i], 2e-6 * Math.max(1, Math.abs(x[i])), "gelu(" + x[i] + ")");
        assertEquals(geluRef[i], VectorMath.geluScalar(x[i]), 2e-6 * Math.max(1, Math.abs(x[i])), "scalar gelu");
      }
      float[] lnRef = TorchOps.layerNorm(xa, d, nd.create(g), nd.create(b), 1e-5).toFloatArray();
      float[] ln = new float[m * d];
      VectorMath.layerNorm(x, m, d, g, b, 1e-5f, ln);
      for (int i = 0; i < ln.length; i++) {
        assertEquals(lnRef[i], ln[i], 1e-5, "layer norm at " + i);
      }
    }
  }

  @Test
  void softmaxPassesMatchDoubles() {
    Random r = new Random(3);
    for (int n : new int[] {1, 15, 16, 17, 100}) {
      float[] x = random(r, n);
      float max = VectorMath.max(x, 0, n);
      double emax = Double.NEGATIVE_INFINITY;
      for (float v : x) {
        emax = Math.max(emax, v);
      }
      assertEquals(emax, max, 0.0, "max of " + n);
      float[] e = x.clone();
      float sum = VectorMath.expShiftSum(e, 0, n, max);
      double esum = 0;
      for (int i = 0; i < n; i++) {
        double ex = Math.exp(x[i] - emax);
        esum += ex;
        assertEquals(ex, e[i], 1e-6, "exp at " + i);
      }
      assertEquals(esum, sum, 1e-5 * n, "sum of " + n);
    }
  }
}
