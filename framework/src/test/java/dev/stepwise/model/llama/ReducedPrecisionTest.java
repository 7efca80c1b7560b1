package dev.stepwise.model.llama;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Devices;
import dev.stepwise.model.GradientCheckpointing;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.SharedModels;
import org.junit.jupiter.api.Test;

/**
 * {@code run.precision = fp16} on the Llama graph (exercised on the CPU, where libtorch also runs
 * float16): a no-grad forward runs in float16, returns float32 hidden states close to the float32
 * forward's; training forwards (recording on), plain or checkpointed, stay float32 and give the
 * float32 gradients.
 */
class ReducedPrecisionTest {
  @Test
  void fp16AppliesToNoGradForwardsAndTrainingStaysFloat32() throws Exception {
    java.nio.file.Path dir = SharedModels.stories260k();
    try (NDManager base = NDManager.newBaseManager(); CausalLM lm = ModelCheckpoint.load(dir, base)) {
      LlamaModel model = (LlamaModel) lm;
      float[][] fp32 = run(model, base, false);
      Devices.setCompute(DataType.FLOAT16);
      float[][] fp16, fp16ckpt;
      try {
        fp16 = run(model, base, false);
        fp16ckpt = run(model, base, true);
      } catch (Throwable t) {
        t.printStackTrace();
        throw t;
      } finally {
        Devices.setCompute(DataType.FLOAT32);
      }
      assertClose(fp32[0], fp16[0], 0.05, "no-grad hidden states");
      assertArrayEquals(fp32[1], fp16[1], "training forwards stay float32 (same gradients)");
      assertClose(fp32[1], fp16ckpt[1], 1e-5, "with checkpointing");
    }
  }

  /** relative max error: max|a-b| <= tol * max|a| */
  private static void assertClose(float[] a, float[] b, double tol, String what) {
    double diff = 0, scale = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(a[i]));
    }
    assertTrue(scale > 0, what + " is not all zero");
    assertTrue(diff > 0 || what.contains("checkpointing"), what + ": fp16 must differ from float32 somewhere (it ran)");
    // (the checkpointed gradients may equal the plain ones bit for bit)
    assertTrue(diff <= tol * scale, what + ": max diff " + diff + " vs scale " + scale);
  }

  /** The hidden states of a forward without a gradient collector (recording off). */
  private static float[] hidden(LlamaModel model, NDManager m) {
    boolean was = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return model.graphHiddenStates(m.create(IDS), null).toFloatArray();
    } finally {
      JniUtils.setGradMode(was);
    }
  }

  private static final long[][] IDS = {{1, 403, 407, 261, 378, 300, 12}, {1, 311, 290, 45, 67, 89, 10}};

  private static float[][] run(LlamaModel model, NDManager base, boolean checkpoint) {
    NDArray q = model.parameters().get("model.layers.0.self_attn.q_proj.weight");
    JniUtils.zeroGrad((PtNDArray) q);
    float[] grad;
    try (NDManager m = base.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector();
        GradientCheckpointing.Tape tape = checkpoint ? GradientCheckpointing.open() : null) {
      NDArray ids = m.create(IDS);
      NDArray hidden = model.graphHiddenStates(ids, null);
      assertEquals(DataType.FLOAT32, hidden.getDataType(), "hidden states are float32");
      NDArray logits = model.logits(hidden);
      java.util.Random rnd = new java.util.Random(5);
      float[] r = new float[2 * 7 * model.config().vocabSize()];
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) rnd.nextGaussian();
      }
      NDArray w = m.create(r, new ai.djl.ndarray.types.Shape(2, 7, model.config().vocabSize()));
      gc.backward(logits.mul(w).sum());
      if (tape != null) {
        tape.backward();
      }
      PtNDArray g = JniUtils.getGradient((PtNDArray) q);
      assertNotNull(g);
      g.attach(m);
      assertEquals(DataType.FLOAT32, g.getDataType(), "master weights keep float32 gradients");
      grad = g.toFloatArray();
    }
    try (NDManager f = base.newSubManager()) {
      return new float[][] {hidden(model, f), grad};
    }
  }
}


