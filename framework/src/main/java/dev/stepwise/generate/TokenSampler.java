package dev.stepwise.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import dev.stepwise.model.TorchScript;

/**
 * Picks the next token of every row on the device, in one TorchScript call: greedy argmax, or
 * temperature, then top-k, then top-p (vLLM's order), sampled by inverse CDF with one uniform
 * number per row supplied by the caller (so randomness is reproducible and independent of the
 * engine's global generator). Also returns each chosen token's log-probability under the raw
 * distribution (log-softmax of the unmodified logits).
 *
 * <p>Inverse CDF: with p the kept probabilities (sorted descending when top-k/top-p apply, else
 * in vocabulary order) and c their cumulative sum, the chosen index is the number of entries with
 * c &lt; u·c_last, clamped to the last index; scaling by c_last renormalises the truncated
 * distribution and absorbs rounding in the sums.
 */
final class TokenSampler implements AutoCloseable {
  static final String SOURCE =
      """
      class TokenSampler(Module):
        __parameters__ = []
        __buffers__ = []
        training : bool
        def sample(self: __torch__.TokenSampler, logits: Tensor, u: Tensor, inv_temp: float, top_k: int, top_p: float, greedy: bool) -> Tuple[Tensor, Tensor]:
          lsm = torch.log_softmax(logits, -1)
          v = logits.size(-1)
          if greedy:
            idx = torch.argmax(logits, -1, True)
          else:
            z = logits
            if inv_temp != 1.0:
              z = torch.mul(logits, inv_temp)
            k = v
            if top_k > 0 and top_k < v:
              k = top_k
            if k < v or top_p < 1.0:
              vals, inds = torch.topk(z, k, -1)
              p = torch.softmax(vals, -1)
              if top_p < 1.0:
                p = torch.where(torch.lt(torch.sub(torch.cumsum(p, -1), p), top_p), p, 0.0)
              cdf = torch.cumsum(p, -1)
              j = torch.sum(torch.lt(cdf, torch.mul(u, cdf.narrow(-1, k - 1, 1))), [-1], True)
              idx = torch.gather(inds, -1, torch.clamp(j, 0, k - 1))
            else:
              cdf = torch.cumsum(torch.softmax(z, -1), -1)
              j = torch.sum(torch.lt(cdf, torch.mul(u, cdf.narrow(-1, v - 1, 1))), [-1], True)
              idx = torch.clamp(j, 0, v - 1)
          return (idx, torch.gather(lsm, -1, idx))
      """;

  /** The sampled tokens: on the device (next input) and on the host (bookkeeping). */
  record Sampled(NDArray ids, long[] hostIds, float[] logprobs) {}

  private final TorchScript script = TorchScript.compile("TokenSampler", SOURCE);
  private final IValue invTemp, topK, topP, greedy;

  TokenSampler(SamplingParams p) {
    boolean g = p.greedy() || p.topK() == 1;
    invTemp = IValue.from(g ? 1.0 : 1.0 / p.temperature());
    topK = IValue.from((long) p.topK());
    topP = IValue.from(p.topP());
    greedy = IValue.from(g);
  }

  /**
   * @param logits (R, V) float32
   * @param uniforms R numbers in [0, 1), one per row
   * @param m owns the returned device ids
   * @return ids (R, 1) int64 on the device (owned by {@code m}), the same ids on the host, and
   *     their raw log-probabilities
   */
  Sampled sample(NDArray logits, float[] uniforms, NDManager m) {
    PtNDManager pm = (PtNDManager) m;
    NDArray u = m.create(uniforms, new Shape(uniforms.length, 1));
    IValue logitsV = IValue.from((PtNDArray) logits);
    IValue uV = IValue.from((PtNDArray) u);
    IValue out = script.run("sample", logitsV, uV, invTemp, topK, topP, greedy);
    IValue[] parts = out.toIValueTuple();
    try {
      NDArray ids = parts[0].toTensor(pm);
      NDArray lp = parts[1].toTensor(pm);
      return new Sampled(ids, ids.toLongArray(), lp.toFloatArray());
    } finally {
      for (IValue v : parts) {
        v.close();
      }
      out.close();
      uV.close();
      logitsV.close();
      u.close();
    }
  }

  @Override
  public void close() {
    invTemp.close();
    topK.close();
    topP.close();
    greedy.close();
  }
}
