package dev.stepwise.model.cpu;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import java.util.Random;

/**
 * Microbenchmark of the Java decoder's kernels on one thread ({@code scripts/bench/cpu_kernels.sh}):
 * for the default model's shapes (width 128, 4 heads of 32, MLP 512, vocabulary 100) and {@code
 * rows} rows, the time of one layer's four GEMMs (with GFLOP/s), of its attention over {@code end}
 * cached positions, of its GELU and LayerNorms, and of the LM head; then one whole decode step of
 * a random model through {@link CpuWeights#forward} (prefill of 32 tokens, then 128 one-token
 * steps). Medians over repeats after warm-up. Arguments: {@code [rows ...]} (default 16 32).
 */
public final class KernelBench {
  private KernelBench() {}

  private static final int D = 128;
  private static final int I = 512;
  private static final int V = 100;
  private static final int H = 4;
  private static final int HD = 32;
  private static final int CAP = 160;
  private static final int END = 96;

  public static void main(String[] args) {
    int[] rowsList = args.length == 0 ? new int[] {16, 32} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    System.out.println("one thread; vector length " + VectorMath.S.length() + " floats; medians of 9 repeats");
    for (int rows : rowsList) {
      kernels(rows);
      step(rows);
    }
  }

  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian() * 0.1f;
    }
    return a;
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  private static void kernels(int m) {
    Random r = new Random(1);
    float[] x = random(r, m * I);
    float[] out = new float[m * I];
    float[] wq = random(r, D * 3 * D);
    float[] wp = random(r, D * D);
    float[] wf = random(r, D * I);
    float[] wm = random(r, I * D);
    float[] wh = random(r, D * V);
    float[] bq = random(r, 3 * D);
    float[] bd = random(r, D);
    float[] bi = random(r, I);
    int capPad = (CAP + CachedAttention.LANES - 1) / CachedAttention.LANES * CachedAttention.LANES;
    float[][] kt = new float[m][];
    float[][] vv = new float[m][];
    for (int i = 0; i < m; i++) {
      kt[i] = random(r, 4 * H * HD * capPad); // 4 layers, as in a real cache
      vv[i] = random(r, 4 * H * HD * CAP);
    }
    float[] q = random(r, HD);
    float[] sc = new float[capPad];
    float[] y = new float[m * D];
    float[] g = random(r, m * I);
    int reps = 9;
    int it = 200;
    double[] gemm = new double[reps];
    double[] att = new double[reps];
    double[] gelu = new double[reps];
    double[] ln = new double[reps];
    double[] head = new double[reps];
    for (int rep = -3; rep < reps; rep++) {
      long t0 = System.nanoTime();
      for (int k = 0; k < it; k++) {
        Gemm.matmul(x, m, D, wq, 3 * D, bq, out, false);
        Gemm.matmul(x, m, D, wp, D, bd, out, true);
        Gemm.matmul(x, m, D, wf, I, bi, out, false);
        Gemm.matmul(x, m, I, wm, D, bd, out, true);
      }
      long t1 = System.nanoTime();
      for (int k = 0; k < it; k++) {
        int layer = k & 3;
        for (int row = 0; row < m; row++) {
          for (int h = 0; h < H; h++) {
            CachedAttention.attend(
                q, kt[row], (layer * H + h) * HD * capPad, vv[row], (layer * H + h) * CAP * HD, HD, END, null, sc, y,
                h * HD);
          }
        }
      }
      long t2 = System.nanoTime();
      for (int k = 0; k < it; k++) {
        System.arraycopy(g, 0, out, 0, m * I);
        VectorMath.gelu(out, m * I);
      }
      long t3 = System.nanoTime();
      for (int k = 0; k < it; k++) {
        VectorMath.layerNorm(x, m, D, bd, bd, 1e-5f, out);
        VectorMath.layerNorm(x, m, D, bd, bd, 1e-5f, out);
      }
      long t4 = System.nanoTime();
      for (int k = 0; k < it; k++) {
        Gemm.matmul(x, m, D, wh, V, null, out, false);
      }
      long t5 = System.nanoTime();
      if (rep >= 0) {
        gemm[rep] = (t1 - t0) / 1e3 / it;
        att[rep] = (t2 - t1) / 1e3 / it;
        gelu[rep] = (t3 - t2) / 1e3 / it;
        ln[rep] = (t4 - t3) / 1e3 / it;
        head[rep] = (t5 - t4) / 1e3 / it;
      }
    }
    double flops = 2.0 * m * D * (3 * D + D + I) + 2.0 * m * I * D;
    System.out.printf(
        "rows %d, one layer: GEMMs %.1f us (%.1f GFLOP/s), attention over %d positions %.1f us, GELU %.1f us,"
            + " 2 LayerNorms %.1f us; LM head %.1f us%n",
        m, median(gemm), flops / median(gemm) / 1e3, END, median(att), median(gelu), median(ln), median(head));
  }

  private static void step(int b) {
    CpuGpt2Weights w;
    ModelConfig cfg = new ModelConfig("gpt2", V, D, 4, H, 256, 0, 1e-5, 0.02);
    try (NDManager nd = NDManager.newBaseManager(); CausalLM model = new Gpt2Family().create(cfg, nd, 2)) {
      w = new CpuGpt2Weights(cfg, model.parameters());
    }
    double[] per = new double[9];
    for (int rep = -3; rep < per.length; rep++) {
      CpuKvCache c = new CpuKvCache(w, b, 32 + 128);
      long[] ids = new long[b * 32];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 1 + (i * 7) % (V - 1);
      }
      w.forward(c, ids, null, 32, true);
      long[] tok = new long[b];
      long t0 = System.nanoTime();
      for (int s = 0; s < 128; s++) {
        for (int row = 0; row < b; row++) {
          tok[row] = (row * 31 + s * 7) % V;
        }
        w.forward(c, tok, null, 1, true);
      }
      if (rep >= 0) {
        per[rep] = (System.nanoTime() - t0) / 1e3 / 128;
      }
    }
    double us = median(per);
    System.out.printf("rows %d, whole decode step (4 layers + LM head, one thread): %.1f us = %.0f tok/s%n", b, us, b * 1e6 / us);
  }
}
