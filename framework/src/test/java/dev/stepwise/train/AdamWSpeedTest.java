package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Time of the optimizer part of a step (collect gradients, global norm, AdamW update with
 * clipping) for 1,000,000 parameters in 50 tensors of [100, 200], and a check that it stays in
 * the range of a few libtorch passes over the data rather than per-element Java work: the step is
 * compared with one elementwise pass over the same gradients timed in the same loop, so machine
 * load moves both (an absolute bound in milliseconds failed under a loaded machine). Absolute
 * speed is the benchmark's job ({@code scripts/bench/train_throughput.sh}).
 */
@SuppressWarnings("try") // guards (NoGrad, NDScope) are opened for their effect only
class AdamWSpeedTest {
  @Test
  void optimizerStepOnAMillionParametersInFiftyTensors() {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = new LinkedHashMap<>();
      for (int i = 0; i < 50; i++) {
        NDArray w = m.randomNormal(new Shape(100, 200));
        w.setRequiresGradient(true);
        p.put("layers." + i + ".weight", w);
      }
      try (AdamW opt = new AdamW(p, 0.9, 0.999, 1e-8, 0.01)) {
        int warm = 5, steps = 30;
        long nanos = 0;
        long refNanos = 0;
        for (int s = 0; s < warm + steps; s++) {
          try (NDScope scope = new NDScope(); NDManager step = m.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray loss = null;
              for (NDArray w : p.values()) {
                NDArray t = w.square().sum();
                loss = loss == null ? t : loss.add(t);
              }
              gc.backward(loss);
            }
            long t0 = System.nanoTime();
            Map<String, NDArray> g = Grads.collect(p, step);
            double norm = GradClipper.globalNorm(g.values(), step);
            opt.step(g, 1e-3, GradClipper.coefficient(norm, 1.0));
            long t1 = System.nanoTime();
            for (NDArray a : g.values()) {
              a.mul(a).sum().getFloat();
            }
            if (s >= warm) {
              nanos += t1 - t0;
              refNanos += System.nanoTime() - t1;
            }
          }
        }
        double ms = nanos / 1e6 / steps;
        double refMs = refNanos / 1e6 / steps;
        System.out.printf("AdamW step (collect + norm + update), 1M params / 50 tensors: %.2f ms; one elementwise pass: %.2f ms%n", ms, refMs);
        // AdamW reads and writes params, grads and two moments a few times (measured 40x one pass on a
        // loaded machine, small ops inflating most); per-element Java work would be thousands
        assertTrue(ms < 200 * refMs, "optimizer step took " + ms + " ms, " + (ms / refMs) + " elementwise passes");
        assertEquals(warm + steps, opt.stepCount());
      }
    }
  }
}
