package dev.stepwise.model.cpu;

import ai.djl.ndarray.NDArray;
import dev.stepwise.model.llama.LlamaConfig;
import java.util.Map;

/**
 * A float32 snapshot of a Llama-family model in the layouts the Java decoder reads ({@link
 * CpuLlamaDecoder}). Projections are transposed to (in, out) for {@link Gemm} and fused: q, k
 * and v into one (D, H·d_head + 2·KVH·d_head) matrix, gate and up into one (D, 2I). The LM head
 * is kept transposed, (D, V); a tied model reads its embedding from that copy with stride V (one
 * copy of the largest matrix), an untied one keeps the embedding (V, D) as well. Taking the
 * snapshot costs one pass over the weights; {@code LlamaModel} reuses it until a parameter
 * changes ({@link dev.stepwise.model.ParameterVersion}).
 */
public final class CpuLlamaWeights extends CpuWeights {
  final LlamaConfig c;
  final int d, qDim, kvDim, qkvWidth, inter;
  final float eps;
  /** Embedding (V, D), or null when tied (read from {@link #headT}). */
  final float[] embed;
  /** LM head transposed (D, V). */
  final float[] headT;
  final float[] norm;
  final float[][] inNorm, qkvW, qkvB, qNorm, kNorm, oW, oB, postNorm, guW, guB, downW, downB;
  /** Rotary inverse frequencies (d_head / 2), scaled, in double. */
  final double[] invFreq;

  private CpuLlamaWeights(LlamaConfig c, Map<String, NDArray> p) {
    super(c.vocabSize(), c.numLayers(), c.numKvHeads(), c.headDim(), c.maxPositions());
    this.c = c;
    d = c.hiddenSize();
    qDim = c.qDim();
    kvDim = c.kvDim();
    qkvWidth = qDim + 2 * kvDim;
    inter = c.intermediateSize();
    eps = (float) c.rmsNormEps();
    float[] emb = get(p, "model.embed_tokens.weight", (long) vocab * d);
    headT = transpose(c.tieWordEmbeddings() ? emb : get(p, "lm_head.weight", (long) vocab * d), vocab, d);
    embed = c.tieWordEmbeddings() ? null : emb;
    norm = get(p, "model.norm.weight", d);
    int n = nLayer;
    inNorm = new float[n][];
    qkvW = new float[n][];
    qkvB = new float[n][];
    qNorm = new float[n][];
    kNorm = new float[n][];
    oW = new float[n][];
    oB = new float[n][];
    postNorm = new float[n][];
    guW = new float[n][];
    guB = new float[n][];
    downW = new float[n][];
    downB = new float[n][];
    for (int l = 0; l < n; l++) {
      String a = "model.layers." + l + ".self_attn.";
      String m = "model.layers." + l + ".mlp.";
      inNorm[l] = get(p, "model.layers." + l + ".input_layernorm.weight", d);
      postNorm[l] = get(p, "model.layers." + l + ".post_attention_layernorm.weight", d);
      qkvW[l] = fused(p, d, new String[] {a + "q_proj", a + "k_proj", a + "v_proj"}, new int[] {qDim, kvDim, kvDim});
      qkvB[l] = c.qkvBias() ? concat(p, new String[] {a + "q_proj", a + "k_proj", a + "v_proj"}, new int[] {qDim, kvDim, kvDim}) : null;
      if (c.qkNorm()) {
        qNorm[l] = get(p, a + "q_norm.weight", headDim);
        kNorm[l] = get(p, a + "k_norm.weight", headDim);
      }
      oW[l] = transpose(get(p, a + "o_proj.weight", (long) d * qDim), d, qDim);
      oB[l] = c.oBias() ? get(p, a + "o_proj.bias", d) : null;
      guW[l] = fused(p, d, new String[] {m + "gate_proj", m + "up_proj"}, new int[] {inter, inter});
      guB[l] = c.mlpBias() ? concat(p, new String[] {m + "gate_proj", m + "up_proj"}, new int[] {inter, inter}) : null;
      downW[l] = transpose(get(p, m + "down_proj.weight", (long) inter * d), d, inter);
      downB[l] = c.mlpBias() ? get(p, m + "down_proj.bias", d) : null;
    }
    invFreq = c.ropeScaling().invFreq(headDim, c.ropeTheta());
  }

  /**
   * @param c the model's architecture
   * @param params its parameters by Hugging Face name (read now)
   * @return the snapshot
   * @throws IllegalArgumentException when a parameter is missing or has the wrong size
   */
  public static CpuLlamaWeights of(LlamaConfig c, Map<String, NDArray> params) {
    return new CpuLlamaWeights(c, params);
  }

  /** (out, in) row-major to (in, out). */
  private static float[] transpose(float[] w, int out, int in) {
    float[] t = new float[w.length];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        t[i * out + o] = w[o * in + i];
      }
    }
    return t;
  }

  /** Weights of several (out_k, in) projections side by side, transposed: (in, Σ out_k). */
  private static float[] fused(Map<String, NDArray> p, int in, String[] names, int[] outs) {
    int total = 0;
    for (int o : outs) {
      total += o;
    }
    float[] t = new float[in * total];
    int col = 0;
    for (int k = 0; k < names.length; k++) {
      float[] w = get(p, names[k] + ".weight", (long) outs[k] * in);
      for (int o = 0; o < outs[k]; o++) {
        for (int i = 0; i < in; i++) {
          t[i * total + col + o] = w[o * in + i];
        }
      }
      col += outs[k];
    }
    return t;
  }

  private static float[] concat(Map<String, NDArray> p, String[] names, int[] outs) {
    int total = 0;
    for (int o : outs) {
      total += o;
    }
    float[] b = new float[total];
    int col = 0;
    for (int k = 0; k < names.length; k++) {
      System.arraycopy(get(p, names[k] + ".bias", outs[k]), 0, b, col, outs[k]);
      col += outs[k];
    }
    return b;
  }

  @Override
  int hiddenSize() {
    return d;
  }

  @Override
  float[] headT() {
    return headT;
  }

  @Override
  void prepare(CpuWorkspace ws, int rows, int capPad) {
    ws.ensure(rows, d, qkvWidth, qDim, 2 * inter, headDim, capPad);
  }

  @Override
  int maxPositionId() {
    return Integer.MAX_VALUE; // rotary positions have no table to overrun
  }

  @Override
  void embed(CpuWorkspace ws, long[] ids, int rows) {
    CpuLlamaDecoder.embed(this, ws, ids, rows);
  }

  @Override
  int layer(CpuKvCache cache, int l, int t, int start, boolean trim, int rows) {
    return CpuLlamaDecoder.layer(cache, l, cache.batch, t, start, trim, rows);
  }

  @Override
  void finalNorm(CpuWorkspace ws, int rows) {
    LlamaMath.rmsNorm(ws.x, 0, rows, d, norm, eps, ws.h);
  }
}
