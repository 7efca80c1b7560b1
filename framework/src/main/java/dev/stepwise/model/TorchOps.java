package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Thin wrappers over DJL's PyTorch JNI entry points: each method is exactly one JNI call.
 *
 * <p>Why: every {@code NDArray} method crosses JNI and some add Java-side work (index parsing,
 * temporary scalars); at the model sizes Stepwise trains the per-call overhead, not arithmetic,
 * sets the decode speed (DESIGN.md, "One op, one JNI call"). These wrappers expose the fused
 * libtorch ops ({@code linear} = x·Wᵀ+b in one GEMM, {@code layer_norm}, {@code gelu}, multi-dim
 * slicing) with no extra work. The training forward ({@link Gpt2Model#hiddenStates}) uses them;
 * incremental decoding goes further and runs whole steps in TorchScript ({@link TorchScript}).
 *
 * <p>Ownership: like the underlying DJL calls, a result belongs to the manager of the
 * <em>first</em> array argument, except {@link #slice}, which takes the manager explicitly.
 * When the first argument is long-lived (a parameter, a cache), re-home the result with {@link
 * #own}. No method takes a Java {@code Number}, so none of them creates a temporary scalar
 * tensor that autograd could outlive (DESIGN.md, autograd trap).
 *
 * <p>All arrays must be PyTorch-engine arrays ({@link PtNDArray}); a {@link ClassCastException}
 * otherwise.
 */
public final class TorchOps {
  private TorchOps() {}

  private static PtNDArray pt(NDArray a) {
    return (PtNDArray) a;
  }

  /** Moves {@code a} (Java-side bookkeeping only, no JNI) to {@code m}; returns {@code a}. */
  public static NDArray own(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }

  /** x·Wᵀ + b with torch's weight layout W (out, in); {@code b} may be null. */
  public static NDArray linear(NDArray x, NDArray w, NDArray b) {
    return JniUtils.linear(pt(x), pt(w), b == null ? null : pt(b));
  }

  /** LayerNorm over the last dimension of size {@code d}, with weight and bias (d). */
  public static NDArray layerNorm(NDArray x, long d, NDArray w, NDArray b, double eps) {
    return JniUtils.layerNorm(pt(x), new Shape(d), pt(w), pt(b), eps);
  }

  /** Exact (erf) GELU, torch's default. */
  public static NDArray gelu(NDArray x) {
    return JniUtils.gelu(pt(x));
  }

  /** Rows of {@code weight} (V, D) at int64 {@code ids} (any shape); result ids.shape + (D). */
  public static NDArray embedding(NDArray ids, NDArray weight) {
    return JniUtils.embedding(pt(ids), pt(weight), false);
  }

  /** Batched/broadcast matrix product (torch.matmul). */
  public static NDArray matmul(NDArray a, NDArray b) {
    return JniUtils.matmul(pt(a), pt(b));
  }

  /** Element-wise a + b with broadcasting. */
  public static NDArray add(NDArray a, NDArray b) {
    return JniUtils.add(pt(a), pt(b));
  }

  /** Element-wise a - b with broadcasting. */
  public static NDArray sub(NDArray a, NDArray b) {
    return JniUtils.sub(pt(a), pt(b));
  }

  /** Element-wise a * b with broadcasting. */
  public static NDArray mul(NDArray a, NDArray b) {
    return JniUtils.mul(pt(a), pt(b));
  }

  /** Element-wise a / b with broadcasting. */
  public static NDArray div(NDArray a, NDArray b) {
    return JniUtils.div(pt(a), pt(b));
  }

  /** Mean over {@code axis}, keeping it as size 1 when {@code keepDim}. */
  public static NDArray mean(NDArray a, long axis, boolean keepDim) {
    return JniUtils.mean(pt(a), axis, keepDim);
  }

  /** Element-wise square. */
  public static NDArray square(NDArray a) {
    return JniUtils.square(pt(a));
  }

  /** Element-wise square root. */
  public static NDArray sqrt(NDArray a) {
    return JniUtils.sqrt(pt(a));
  }

  /** Element-wise logistic sigmoid. */
  public static NDArray sigmoid(NDArray a) {
    return JniUtils.sigmoid(pt(a));
  }

  /**
   * Inverted dropout: zeroes each element with probability {@code p} and scales the rest by
   * 1/(1−p) when {@code training}, the identity otherwise (torch.nn.functional.dropout). Draws
   * from the engine's random generator.
   */
  public static NDArray dropout(NDArray a, double p, boolean training) {
    return JniUtils.dropout(pt(a), p, training);
  }

  /** Element-wise negation. */
  public static NDArray neg(NDArray a) {
    return JniUtils.neg(pt(a));
  }

  /** Concatenation along {@code axis}; the result belongs to the first array's manager. */
  public static NDArray cat(long axis, NDArray... parts) {
    PtNDArray[] p = new PtNDArray[parts.length];
    for (int i = 0; i < parts.length; i++) {
      p[i] = pt(parts[i]);
    }
    return JniUtils.cat(p, axis);
  }

  /** Element-wise maximum. */
  public static NDArray maximum(NDArray a, NDArray b) {
    return JniUtils.max(pt(a), pt(b));
  }

  /** Boolean a &gt; b. */
  public static NDArray gt(NDArray a, NDArray b) {
    return JniUtils.gt(pt(a), pt(b));
  }

  /** cond ? x : y, broadcasting. */
  public static NDArray where(NDArray cond, NDArray x, NDArray y) {
    return JniUtils.where(pt(cond), pt(x), pt(y));
  }

  /** Softmax over {@code axis}, in the input's type (float32, or float16 under run.precision=fp16). */
  public static NDArray softmax(NDArray a, long axis) {
    return JniUtils.softmax(pt(a), axis, a.getDataType());
  }

  /** Inclusive cumulative sum over {@code axis}; bool/int input gives int64. */
  public static NDArray cumSum(NDArray a, long axis) {
    return JniUtils.cumSum(pt(a), axis);
  }

  /** Pieces of {@code size} along {@code axis} (torch.split; views). */
  public static NDList split(NDArray a, long size, long axis) {
    return JniUtils.split(pt(a), size, axis);
  }

  /** View (or copy when strides do not allow a view) with the new shape; -1 infers one dim. */
  public static NDArray reshape(NDArray a, long... shape) {
    return JniUtils.reshape(pt(a), shape);
  }

  /** Permuted view. */
  public static NDArray permute(NDArray a, long... dims) {
    return JniUtils.permute(pt(a), dims);
  }

  /** View with two dimensions swapped. */
  public static NDArray transpose(NDArray a, long d0, long d1) {
    return JniUtils.transpose(pt(a), d0, d1);
  }

  /**
   * View {@code a[min0:max0, min1:max1, ...]} (unit steps, one entry per leading dimension
   * given), owned by {@code m}.
   */
  public static NDArray slice(NDArray a, long[] min, long[] max, NDManager m) {
    return JniUtils.index(pt(a), min, max, ones(min.length), (PtNDManager) m);
  }

  private static long[] ones(int n) {
    long[] s = new long[n];
    java.util.Arrays.fill(s, 1);
    return s;
  }
}
