package dev.stepwise.model.cpu;

import ai.djl.ndarray.NDArray;
import dev.stepwise.model.ModelConfig;
import java.util.Map;

/**
 * A float32 copy of a GPT-2 model's parameters in the layouts the Java decoder reads, taken when
 * a {@link CpuKvCache} is created (so a policy trained between two generations decodes with its
 * current weights). One copy of the tiny default model (0.8 M parameters) costs about a
 * millisecond.
 *
 * <p>Layouts: {@code wteT} (D, V), the tied token embedding transposed: the LM head's weight for
 * {@link Gemm} and, read with stride V, the embedding lookup (one copy of the largest matrix
 * instead of two, which matters for a 152k-token vocabulary); {@code wpe} (P, D); linear weights
 * as stored by Hugging Face's Conv1D, (in, out): {@code attnW} (D, 3D), {@code projW} (D, D),
 * {@code fcW} (D, I), {@code mlpW} (I, D); biases and LayerNorm gains/biases as vectors.
 */
final class CpuGpt2Weights extends CpuWeights {
  final int d, nHead, inner;
  final float eps;
  final float[] wteT, wpe, lnfW, lnfB;
  final float[][] ln1W, ln1B, attnW, attnB, projW, projB, ln2W, ln2B, fcW, fcB, mlpW, mlpB;

  /**
   * @param config the model's shape
   * @param params its parameters by Hugging Face name ({@code transformer.wte.weight}, {@code
   *     transformer.h.<l>.attn.c_attn.weight}, ...)
   * @throws IllegalArgumentException when a parameter is missing or has the wrong size
   */
  CpuGpt2Weights(ModelConfig config, Map<String, NDArray> params) {
    super(config.vocabSize(), config.nLayer(), config.nHead(), config.nEmbd() / config.nHead(), config.nPositions());
    d = config.nEmbd();
    nHead = config.nHead();
    inner = config.innerDim();
    eps = (float) config.layerNormEpsilon();
    float[] wte = get(params, "transformer.wte.weight", (long) vocab * d);
    wpe = get(params, "transformer.wpe.weight", (long) nPositions * d);
    lnfW = get(params, "transformer.ln_f.weight", d);
    lnfB = get(params, "transformer.ln_f.bias", d);
    wteT = new float[d * vocab];
    for (int v = 0; v < vocab; v++) {
      for (int j = 0; j < d; j++) {
        wteT[j * vocab + v] = wte[v * d + j];
      }
    }
    ln1W = layers(params, "ln_1.weight", d);
    ln1B = layers(params, "ln_1.bias", d);
    attnW = layers(params, "attn.c_attn.weight", (long) d * 3 * d);
    attnB = layers(params, "attn.c_attn.bias", 3L * d);
    projW = layers(params, "attn.c_proj.weight", (long) d * d);
    projB = layers(params, "attn.c_proj.bias", d);
    ln2W = layers(params, "ln_2.weight", d);
    ln2B = layers(params, "ln_2.bias", d);
    fcW = layers(params, "mlp.c_fc.weight", (long) d * inner);
    fcB = layers(params, "mlp.c_fc.bias", inner);
    mlpW = layers(params, "mlp.c_proj.weight", (long) inner * d);
    mlpB = layers(params, "mlp.c_proj.bias", d);
  }

  private float[][] layers(Map<String, NDArray> params, String suffix, long size) {
    float[][] a = new float[nLayer][];
    for (int l = 0; l < nLayer; l++) {
      a[l] = get(params, "transformer.h." + l + "." + suffix, size);
    }
    return a;
  }


  @Override
  int hiddenSize() {
    return d;
  }

  @Override
  float[] headT() {
    return wteT;
  }

  @Override
  void prepare(CpuWorkspace ws, int rows, int capPad) {
    ws.ensure(rows, d, 3 * d, d, inner, headDim, capPad);
  }

  @Override
  int maxPositionId() {
    return nPositions - 1;
  }

  @Override
  void embed(CpuWorkspace ws, long[] ids, int rows) {
    CpuGpt2Decoder.embed(this, ws, ids, rows);
  }

  @Override
  int layer(CpuKvCache c, int l, int t, int start, boolean trim, int rows) {
    return CpuGpt2Decoder.layer(c, l, c.batch, t, start, trim, rows);
  }

  @Override
  void finalNorm(CpuWorkspace ws, int rows) {
    VectorMath.layerNorm(ws.x, rows, d, lnfW, lnfB, eps, ws.h);
  }
}
