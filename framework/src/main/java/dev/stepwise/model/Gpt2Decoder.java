package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;

/**
 * Incremental GPT-2 decoding against a {@link Gpt2KvCache}: argument checks in Java, the step
 * itself in {@link Gpt2Script#SOURCE} (one JNI call). A step with one token per row costs the
 * script call plus about 6 JNI calls for argument and result conversion.
 */
final class Gpt2Decoder {
  private Gpt2Decoder() {}

  /** Immutable boolean arguments, created once (saves two JNI calls per flag and step). */
  private static final class Flags {
    static final IValue TRUE = IValue.from(true);
    static final IValue FALSE = IValue.from(false);

    static IValue of(boolean b) {
      return b ? TRUE : FALSE;
    }
  }

  static NDArray decode(Gpt2Model g, NDArray ids, NDArray mask, Gpt2KvCache c, boolean lastOnly) {
    c.checkOpen();
    long[] shape = ids.getShape().getShape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("input ids must be (B, T), got " + ids.getShape());
    }
    long b = shape[0];
    long t = shape[1];
    if (b != c.batch) {
      throw new IllegalArgumentException("input has " + b + " rows but the cache has " + c.batch);
    }
    if (c.length + t > c.capacity) {
      throw new IllegalArgumentException(
          "cache full: " + c.length + " positions used + " + t + " new > capacity " + c.capacity);
    }
    boolean useMask = mask != null;
    if (useMask && !mask.getShape().equals(ids.getShape())) {
      throw new IllegalArgumentException(
          "attention mask " + mask.getShape() + " does not match input ids " + ids.getShape());
    }
    if (useMask && !c.hasPadding) {
      // one sync per masked call (prefills), never per generated token
      c.hasPadding = !mask.toType(ai.djl.ndarray.types.DataType.BOOLEAN, false).all().getBoolean();
    }
    IValue idsV = IValue.from((PtNDArray) ids);
    IValue maskV = useMask ? IValue.from((PtNDArray) mask) : idsV;
    IValue start = IValue.from((long) c.length);
    try (IValue out =
        g.script()
            .run(
                "decode", idsV, maskV, Flags.of(useMask), c.count, c.keys, c.values, start, c.padBias,
                Flags.of(c.hasPadding), g.weightList(), g.nHeadValue(), g.epsValue(), Flags.of(lastOnly))) {
      c.length += (int) t;
      return out.toTensor((PtNDManager) ids.getManager());
    } finally {
      start.close();
      idsV.close();
      if (useMask) {
        maskV.close();
      }
    }
  }

  static DecodedBlock sampleAndDecode(
      Gpt2Model g, NDArray logits, Gpt2KvCache c, TokenChoice choice, float[] uniforms, int steps, NDManager m) {
    c.checkOpen();
    int b = c.batch;
    if (steps < 1 || uniforms.length != b * steps) {
      throw new IllegalArgumentException(
          "need steps >= 1 and " + b + " x " + steps + " uniforms, got " + steps + " and " + uniforms.length);
    }
    if (!logits.getShape().equals(new Shape(b, g.config.vocabSize()))) {
      throw new IllegalArgumentException("logits " + logits.getShape() + " are not (" + b + ", vocab)");
    }
    if (c.length + steps > c.capacity) {
      throw new IllegalArgumentException(
          "cache full: " + c.length + " positions used + " + steps + " new > capacity " + c.capacity);
    }
    PtNDManager pm = (PtNDManager) m;
    try (NDManager tmp = m.newSubManager()) {
      NDArray u = tmp.create(uniforms, new Shape(b, steps));
      IValue[] args = {
        IValue.from((PtNDArray) logits), IValue.from((PtNDArray) u),
        IValue.from(choice.greedy() ? 1.0 : 1.0 / choice.temperature()), IValue.from((long) choice.topK()),
        IValue.from(choice.topP()), IValue.from((long) c.length)
      };
      try (IValue out =
          g.script()
              .run(
                  "sample_decode", args[0], args[1], args[2], args[3], args[4], Flags.of(choice.greedy()),
                  c.count, c.keys, c.values, args[5], c.padBias, Flags.of(c.hasPadding), g.weightList(),
                  g.nHeadValue(), g.epsValue())) {
        IValue[] parts = out.toIValueTuple();
        try {
          long[] ids = parts[0].toTensor((PtNDManager) tmp).toLongArray();
          float[] lps = parts[1].toTensor((PtNDManager) tmp).toFloatArray();
          NDArray next = parts[2].toTensor(pm);
          c.length += steps;
          return new DecodedBlock(next, ids, lps, steps);
        } finally {
          Gpt2KvCache.closeAll(parts);
        }
      } finally {
        Gpt2KvCache.closeAll(args);
      }
    }
  }
}
