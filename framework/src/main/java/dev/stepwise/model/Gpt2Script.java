package dev.stepwise.model;

/**
 * The GPT-2 incremental decoder as a TorchScript class (see {@link TorchScript}): the same math
 * as {@link Gpt2Model#hiddenStates} (pre-LN blocks, exact GELU, softmax(q·kᵀ/√d_head + bias)·v,
 * tied head), reading earlier keys/values from a cache, in one JNI call per step.
 *
 * <p>Arguments shared by the methods: {@code w} is the model's parameter list in {@link
 * CausalLM#parameters()} order (wte, wpe, then 12 per layer in Hugging Face order, then ln_f
 * weight and bias; linear weights in Conv1D (in, out) layout, so a projection is {@code
 * addmm(bias, x, W)}); {@code k_cache[l]}/{@code v_cache[l]} are (B, H, capacity, d_head)
 * float32; {@code pad_bias} (B, capacity) float32 is 0 for real and −1e9 for padded positions;
 * {@code count} (B, 1) int64 is each row's number of real tokens (its next position id).
 * Position ids are clamped to the last learned position, so rows that have already finished
 * (and keep being decoded until they are dropped) never index past {@code wpe}; rows that are
 * still live never reach the clamp because the sampler stops them at the context length.
 *
 * <p>Per layer and step the new keys/values are copied into the cache (preallocated, written in
 * place) and attention reads {@code narrow} views of its first {@code end} positions, so the
 * cache is never copied. Attention is one {@code scaled_dot_product_attention} call (libtorch's
 * fused CPU kernel, default scale 1/√d_head) for prefills and small decode batches; for a
 * one-token step over many (row, head) pairs ({@code B·H >= 32}) it is two batched matrix
 * products around a softmax ((q/√d_head)·Kᵀ, softmax, ·V): the fused CPU kernel issues two small
 * GEMMs per (row, head) pair, while {@code matmul} runs each product as one strided batched GEMM,
 * which measured ~15 % faster per step at batch 32 (same tokens; see docs/benchmarks.md).
 *
 * <p>A prefill that needs only the last position's logits ({@code last_only}) computes the last
 * layer's attention, projection and MLP for that position alone: the other positions' outputs of
 * the last layer feed nothing (their keys and values come from the layer's input and are cached
 * before the cut), so this skips about a fifth of the prefill's FLOPs without changing a value.
 */
final class Gpt2Script {
  private Gpt2Script() {}

  static final String CLASS = "Gpt2Decode";

  /** Choose a token, decode it, repeat: several tokens per native call (the sampler's path). */
  private static final String BLOCK =
      """
        def sample_decode(self: __torch__.Gpt2Decode, logits: Tensor, u: Tensor, inv_temp: float, top_k: int, top_p: float, greedy: bool, count: Tensor, k_cache: List[Tensor], v_cache: List[Tensor], start: int, pad_bias: Tensor, use_pad: bool, w: List[Tensor], n_head: int, eps: float) -> Tuple[Tensor, Tensor, Tensor]:
          ids: List[Tensor] = []
          lps: List[Tensor] = []
          for s in range(u.size(1)):
            tok, lp = self.choose(logits, u.narrow(1, s, 1), inv_temp, top_k, top_p, greedy)
            ids.append(tok)
            lps.append(lp)
            logits = self.decode(tok, tok, False, count, k_cache, v_cache, start + s, pad_bias, use_pad, w, n_head, eps, True)
          return (torch.cat(ids, 1), torch.cat(lps, 1), logits)
      """;

  /** The whole class: decode, cache helpers, the token choice and the block loop. */
  static final String SOURCE = body() + SamplingKernel.chooseMethod(CLASS) + BLOCK;

  private static String body() {
    return
      """
      class Gpt2Decode(Module):
        __parameters__ = []
        __buffers__ = []
        training : bool
        def new_cache(self: __torch__.Gpt2Decode, b: int, n_layer: int, n_head: int, cap: int, hd: int) -> Tuple[List[Tensor], List[Tensor], Tensor, Tensor]:
          ks = [torch.zeros([b, n_head, cap, hd]) for l in range(n_layer)]
          vs = [torch.zeros([b, n_head, cap, hd]) for l in range(n_layer)]
          return (ks, vs, torch.zeros([b, cap]), torch.zeros([b, 1], dtype=4))
        def reindex(self: __torch__.Gpt2Decode, k_cache: List[Tensor], v_cache: List[Tensor], pad_bias: Tensor, count: Tensor, index: Tensor) -> Tuple[List[Tensor], List[Tensor], Tensor, Tensor]:
          ks = [torch.index_select(k, 0, index) for k in k_cache]
          vs = [torch.index_select(v, 0, index) for v in v_cache]
          return (ks, vs, torch.index_select(pad_bias, 0, index), torch.index_select(count, 0, index))
        def decode(self: __torch__.Gpt2Decode, ids: Tensor, mask: Tensor, use_mask: bool, count: Tensor, k_cache: List[Tensor], v_cache: List[Tensor], start: int, pad_bias: Tensor, use_pad: bool, w: List[Tensor], n_head: int, eps: float, last_only: bool) -> Tensor:
          b = ids.size(0)
          t = ids.size(1)
          d = w[0].size(1)
          hd = d // n_head
          end = start + t
          max_pos = w[1].size(0) - 1
          if use_mask:
            pos = torch.clamp(torch.add(torch.clamp(torch.sub(torch.cumsum(mask, 1), 1), 0), count), 0, max_pos)
            pad_bias.narrow(1, start, t).copy_(torch.where(torch.gt(mask, 0), 0.0, -1.0e9))
            count.add_(torch.sum(mask, [1], True))
          elif t == 1:
            pos = torch.clamp(count, 0, max_pos)
            count.add_(1)
          else:
            pos = torch.clamp(torch.add(torch.arange(t), count), 0, max_pos)
            count.add_(t)
          x = torch.add(torch.embedding(w[0], ids), torch.embedding(w[1], pos)).view([b * t, d])
          att: Optional[Tensor] = None
          bmm_attention = t == 1 and b * n_head >= 32
          trim = last_only and t > 1
          tq = t
          scale = 1.0 / (float(hd) ** 0.5)
          if use_pad:
            att = pad_bias.narrow(1, 0, end).view([b, 1, 1, end])
          if t > 1:
            causal = torch.triu(torch.full([t, end], -1.0e9), start + 1)
            if att is None:
              att = causal.view([1, 1, t, end])
            else:
              att = torch.add(att, causal)
          for l in range(len(k_cache)):
            o = 2 + 12 * l
            kc = k_cache[l]
            vc = v_cache[l]
            heads = torch.addmm(w[o + 3], torch.layer_norm(x, [d], w[o], w[o + 1], eps), w[o + 2]).view([b, tq, 3, n_head, hd]).permute([2, 0, 3, 1, 4])
            kc.narrow(2, start, t).copy_(heads[1])
            vc.narrow(2, start, t).copy_(heads[2])
            q = heads[0]
            if trim and l == len(k_cache) - 1:
              q = q.narrow(2, t - 1, 1)
              x = x.view([b, t, d]).select(1, t - 1)
              tq = 1
              if att is not None:
                att = att.narrow(2, t - 1, 1)
            if bmm_attention:
              sc = torch.matmul(torch.mul(q, scale), kc.narrow(2, 0, end).transpose(2, 3))
              if att is not None:
                sc = sc.add_(att)
              y = torch.matmul(torch.softmax(sc, -1), vc.narrow(2, 0, end))
            else:
              y = torch.scaled_dot_product_attention(q, kc.narrow(2, 0, end), vc.narrow(2, 0, end), att)
            x = torch.addmm(w[o + 5], y.transpose(1, 2).reshape([b * tq, d]), w[o + 4]).add_(x)
            h = torch.gelu(torch.addmm(w[o + 9], torch.layer_norm(x, [d], w[o + 6], w[o + 7], eps), w[o + 8]))
            x = torch.addmm(w[o + 11], h, w[o + 10]).add_(x)
          n = len(w)
          logits = torch.linear(torch.layer_norm(x, [d], w[n - 2], w[n - 1], eps), w[0])
          if last_only:
            return logits
          return logits.view([b, t, -1])
      """;
  }
}
