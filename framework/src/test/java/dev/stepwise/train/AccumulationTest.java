package dev.stepwise.train;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.stepwise.train.TinyModels.Batch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // guards (NoGrad, NDScope) are opened for their effect only
class AccumulationTest {
  static final int VOCAB = 16;

  /** Gradients after one {@link Accumulator} run over the 8 examples of the data set. */
  static Map<String, float[]> grads(int microBatch, int accumulation, Runnable beforeBackward) {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> p = TinyModels.mlpParams(m, VOCAB, 8, 16, 5);
      TrainData<Batch> data = TinyModels.nextTokenData(8, VOCAB);
      Accumulator<Batch> acc = new Accumulator<>(TinyModels.mlpObjective(p, VOCAB), data,
          new DataOrder(8, microBatch, 11), accumulation);
      acc.beforeBackward = beforeBackward;
      Map<String, float[]> out = new LinkedHashMap<>();
      try (NDScope scope = new NDScope(); NDManager step = m.newSubManager()) {
        Accumulator.Stats s = acc.run(step);
        assertTrue(Double.isFinite(s.loss()));
        Grads.collect(p, step).forEach((k, g) -> out.put(k, g.toFloatArray()));
      }
      assertEquals(p.keySet(), out.keySet(), "every parameter received a gradient");
      return out;
    }
  }

  @Test
  void twoMicroBatchesOfFourEqualOneBatchOfEight() {
    Map<String, float[]> accumulated = grads(4, 2, () -> {});
    Map<String, float[]> full = grads(8, 1, () -> {});
    for (String k : full.keySet()) {
      float[] a = accumulated.get(k), b = full.get(k);
      double maxAbs = 0;
      for (float v : b) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      assertTrue(maxAbs > 1e-3, k + " has a real gradient");
      assertArrayEquals(b, a, 1e-6f, k);
    }
    // Without the division by the accumulation count the sum would be twice the mean.
    Map<String, float[]> single = grads(4, 1, () -> {});
    assertNotEquals(single.get("lm_head.weight")[0], full.get("lm_head.weight")[0]);
  }

  @Test
  void gradientsStayCorrectWhenTheGarbageCollectorRunsBetweenForwardAndBackward() {
    // DESIGN.md §5: a scalar created from Java memory and freed before backward corrupts the
    // gradients. The accumulator's 1/k scale lives in the step's manager; force GCs to prove it.
    Runnable gc = () -> {
      System.gc();
      System.runFinalization();
      System.gc();
    };
    Map<String, float[]> withGc = grads(2, 4, gc);
    Map<String, float[]> plain = grads(2, 4, () -> {});
    for (String k : plain.keySet()) {
      assertTrue(TrainerTest.allFinite(withGc.get(k)), k + " finite");
      assertArrayEquals(plain.get(k), withGc.get(k), 0f, k);
    }
  }
}
