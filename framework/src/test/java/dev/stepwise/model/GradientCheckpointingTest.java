package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradients with per-layer activation checkpointing equal the plain backward's, for GPT-2 and the
 * real Llama-family stories260K, with left padding, and with two forwards of the model in one
 * backward (as DPO's chosen and rejected): L = Σ logits ⊙ R over real positions, R fixed random.
 */
class GradientCheckpointingTest {
  static final ModelConfig GPT2 = new ModelConfig("gpt2", 11, 8, 3, 2, 8, 0, 1e-5, 0.3);

  @Test
  void gpt2GradientsEqualThePlainBackward() {
    try (NDManager base = NDManager.newBaseManager(); CausalLM model = new Gpt2Family().create(GPT2, base, 3)) {
      compare(model, base, 11, 1e-5);
    }
  }

  @Test
  void llamaGradientsEqualThePlainBackward() throws Exception {
    java.nio.file.Path dir = SharedModels.stories260k();
    try (NDManager base = NDManager.newBaseManager(); CausalLM model = ModelCheckpoint.load(dir, base)) {
      compare(model, base, model.config().vocabSize(), 1e-5);
    }
  }

  @Test
  void aFrozenModelIsNotCheckpointedAndOnlyOneTapePerThread() {
    try (NDManager base = NDManager.newBaseManager(); CausalLM model = new Gpt2Family().create(GPT2, base, 3)) {
      model.setTrainable(false);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector();
          GradientCheckpointing.Tape tape = GradientCheckpointing.open()) {
        assertNull(GradientCheckpointing.active(model.parameters().values()), "no parameter requires a gradient");
        model.setTrainable(true);
        assertSame(tape, GradientCheckpointing.active(model.parameters().values()));
        assertThrows(IllegalStateException.class, GradientCheckpointing::open);
      }
      assertNull(GradientCheckpointing.active(model.parameters().values()), "closed");
    }
  }

  /** Plain vs checkpointed gradients of every parameter; max |diff| ≤ tol·max(1, |g|∞). */
  static void compare(CausalLM model, NDManager base, int vocab, double tol) {
    long[] ids = {0, 0, 4, 7, 1, 9, 2, 5, 3, 8, 10, 6, 1, 2, 3, 4, 5, 6};
    long[] mask = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    Random rnd = new Random(5);
    float[] r = new float[ids.length * vocab];
    for (int i = 0; i < r.length; i++) {
      r[i] = i < 2 * vocab ? 0f : (float) rnd.nextGaussian(); // padded positions are unused by design
    }
    Map<String, float[]> plain = grads(model, base, ids, mask, r, vocab, false);
    Map<String, float[]> ckpt = grads(model, base, ids, mask, r, vocab, true);
    assertEquals(plain.keySet(), ckpt.keySet());
    int nonZero = 0;
    for (String k : plain.keySet()) {
      float[] a = plain.get(k), b = ckpt.get(k);
      double scale = 1, diff = 0;
      for (int i = 0; i < a.length; i++) {
        scale = Math.max(scale, Math.abs(a[i]));
        diff = Math.max(diff, Math.abs(a[i] - b[i]));
      }
      assertTrue(diff <= tol * scale, k + ": max |plain - checkpointed| = " + diff);
      if (scale > 1 || java.util.Arrays.stream(toDouble(a)).anyMatch(v -> Math.abs(v) > 1e-6)) {
        nonZero++;
      }
    }
    assertEquals(plain.size(), nonZero, "every parameter gets a gradient");
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static Map<String, float[]> grads(
      CausalLM model, NDManager base, long[] ids, long[] mask, float[] r, int vocab, boolean checkpoint) {
    for (NDArray p : model.parameters().values()) {
      JniUtils.zeroGrad((PtNDArray) p);
    }
    int b = 3, t = ids.length / b;
    try (NDManager m = base.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector();
        GradientCheckpointing.Tape tape = checkpoint ? GradientCheckpointing.open() : null) {
      NDArray idsA = m.create(ids, new Shape(b, t));
      NDArray maskA = m.create(mask, new Shape(b, t));
      NDArray w = m.create(r, new Shape(b, t, vocab));
      // two forwards in one loss: the whole batch, and its last row alone (another stack on the tape)
      NDArray all = model.logits(model.hiddenStates(idsA, maskA)).mul(w).sum();
      NDArray last = model.logits(model.hiddenStates(idsA.get("2:"), maskA.get("2:"))).mul(w.get("2:")).sum();
      gc.backward(all.add(last.mul(m.create(0.5f))));
      if (tape != null) {
        tape.backward();
      }
      Map<String, float[]> out = new LinkedHashMap<>();
      for (var e : model.parameters().entrySet()) {
        PtNDArray g = JniUtils.getGradient((PtNDArray) e.getValue());
        assertNotNull(g, e.getKey() + " has a gradient");
        g.attach(m);
        out.put(e.getKey(), g.toFloatArray());
      }
      return out;
    }
  }
}
