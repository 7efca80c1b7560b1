package dev.stepwise.model;

/**
 * TorchScript source of the token-choice kernel that every family's decode script embeds (so that
 * choosing a token and decoding it run in the same native call; see {@link
 * CausalLM#sampleAndDecode}).
 *
 * <p>{@code choose(logits (B, V), u (B, 1) uniforms in [0, 1), inv_temp, top_k, top_p, greedy)}
 * returns {@code (ids (B, 1) int64, logprobs (B, 1) float32)}: greedy argmax; or temperature,
 * then top-k, then top-p (vLLM's order), sampled by inverse CDF — with p the kept probabilities
 * (sorted descending when a cut-off applies, else in vocabulary order) and c their cumulative
 * sum, the index is the number of entries with c &lt; u·c_last, clamped to the last index
 * (scaling by c_last renormalises the truncated distribution and absorbs rounding). The
 * log-probability is that of the chosen token under log-softmax of the unmodified logits.
 */
public final class SamplingKernel {
  private SamplingKernel() {}

  /** Placeholder for the embedding class's name in {@link #CHOOSE_METHOD}. */
  public static final String CLASS_PLACEHOLDER = "__CLASS__";

  /** The {@code choose} method, indented for a class body; replace {@link #CLASS_PLACEHOLDER}. */
  public static final String CHOOSE_METHOD =
      """
        def choose(self: __torch__.__CLASS__, logits: Tensor, u: Tensor, inv_temp: float, top_k: int, top_p: float, greedy: bool) -> Tuple[Tensor, Tensor]:
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

  /** {@link #CHOOSE_METHOD} for a class named {@code className}. */
  public static String chooseMethod(String className) {
    return CHOOSE_METHOD.replace(CLASS_PLACEHOLDER, className);
  }
}
