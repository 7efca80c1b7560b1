package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * A decoder-only causal language model: the contract that training objectives, reward heads and
 * the sampler use. Families (GPT-2 now, Llama-style later) implement it; see {@link
 * ModelFamily}.
 *
 * <p><b>Arrays and managers.</b> Every temporary a forward creates belongs to the manager of
 * {@code inputIds} (or of {@code hidden} for {@link #logits}), so a caller that opens a
 * sub-manager per step and puts its inputs there frees everything by closing it. Parameters
 * belong to the model and are freed by {@link #close()} (or by closing the manager given at
 * creation).
 *
 * <p><b>Gradients.</b> Parameters are float32 leaves with gradients attached: a forward inside a
 * DJL {@code GradientCollector} records the graph. To freeze a model (a reference model for DPO
 * or PPO's KL term), call {@link #setTrainable(boolean) setTrainable(false)}: its parameters
 * stop requiring gradients, so it contributes no graph even inside a collector. Forwards outside
 * a collector never record a graph.
 *
 * <p><b>Padding.</b> {@code attentionMask} is (B, T) int32/int64/bool with 1 (true) for real
 * tokens and 0 for padding, or null for all ones. Position ids are the mask's cumulative sum
 * minus one (Hugging Face GPT-2's convention for left padding) and padded keys are masked, so a
 * left-padded row gives the same hidden states at its real positions as the unpadded sequence;
 * right padding never affects earlier positions (causality).
 */
public interface CausalLM extends AutoCloseable {
  /** @return the shape of this model (vocabulary size, width, depth, heads, context) */
  ModelConfig config();

  /**
   * @return every trainable tensor by Hugging Face name, in a stable order (a {@link
   *     java.util.LinkedHashMap}); the arrays are the live parameters, not copies
   */
  Map<String, NDArray> parameters();

  /**
   * Final-LayerNorm'ed hidden states of a full sequence (no cache).
   *
   * @param inputIds (B, T) int64 token ids in [0, V), T &le; {@code n_positions}
   * @param attentionMask (B, T) 1 = real token, or null
   * @return (B, T, D) float32, owned by {@code inputIds}' manager
   * @throws IllegalArgumentException when T exceeds the context length
   */
  NDArray hiddenStates(NDArray inputIds, NDArray attentionMask);

  /**
   * The tied LM head: hidden · wteᵀ.
   *
   * @param hidden (..., D) float32
   * @return (..., V) float32 unnormalised logits, owned by {@code hidden}'s manager
   */
  NDArray logits(NDArray hidden);

  /**
   * A key/value cache for incremental decoding.
   *
   * @param manager owns the cache's arrays (also freed by {@link KvCache#close()})
   * @param batch rows B of the first {@link #decode} call
   * @param capacity positions the cache can hold (prompt, padding included, plus new tokens)
   */
  KvCache newCache(NDManager manager, int batch, int capacity);

  /**
   * Runs new tokens through the model against the cache, appends their keys/values and returns
   * their logits. The first call is the prefill (the whole, possibly left-padded, prompt); later
   * calls usually pass one token per row. Never records autograd (it runs under a no-grad guard,
   * even inside a gradient collector).
   *
   * @param inputIds (B, T_new) int64
   * @param attentionMask (B, T_new) mask of the <em>new</em> tokens only (1 = real), or null for
   *     all ones; earlier tokens' padding is remembered by the cache
   * @param cache a cache of this model with B rows and room for T_new more positions
   * @return (B, T_new, V) float32 logits of the new positions, owned by {@code inputIds}' manager
   * @throws IllegalArgumentException when the cache is full or B does not match
   */
  NDArray decode(NDArray inputIds, NDArray attentionMask, KvCache cache);

  /**
   * As {@link #decode} but returns only the last new position's logits, skipping the LM head for
   * the others (what sampling needs after a prefill).
   *
   * @return (B, V) float32 logits
   */
  NDArray decodeLast(NDArray inputIds, NDArray attentionMask, KvCache cache);

  /**
   * The sampler's fast path: {@code steps} times, choose one token per row from {@code logits}
   * (with {@code choice} and one uniform number per row and step), record it and its raw
   * log-probability, and decode it against the cache to get the next logits — all in one native
   * call, so the per-token cost is the arithmetic plus the kernel's interpreter overhead, not
   * JNI round trips. Equivalent to alternating {@link SamplingKernel}'s choice and {@link
   * #decodeLast} with one token per row and no mask.
   *
   * @param logits (B, V) float32 logits of each row's last position (from the prefill or the
   *     previous block)
   * @param cache the rows' cache, with room for {@code steps} more positions
   * @param choice greedy or temperature/top-k/top-p
   * @param uniforms B·steps numbers in [0, 1), row-major: row r at step s uses {@code
   *     uniforms[r * steps + s]}
   * @param steps tokens to choose per row (&ge; 1)
   * @param manager owns the returned logits
   * @return the chosen ids and log-probabilities and the logits after the last one
   * @throws IllegalArgumentException when shapes do not match or the cache is too small
   */
  DecodedBlock sampleAndDecode(
      NDArray logits, KvCache cache, TokenChoice choice, float[] uniforms, int steps, NDManager manager);

  /**
   * @return how many rows a concurrently decoded chunk should have for this model's decoder to
   *     run fastest; {@link Integer#MAX_VALUE} (the default) means as few chunks as there are
   *     workers (a decoder with per-op overhead per chunk)
   */
  default int preferredChunkRows() {
    return Integer.MAX_VALUE;
  }

  /**
   * Attaches ({@code true}, the default) or detaches gradients on every parameter, in place.
   * Frozen parameters keep their values and can still be overwritten by {@code
   * ModelCheckpoint.loadInto}.
   */
  void setTrainable(boolean trainable);

  /** Frees the parameters and any cached constants. */
  @Override
  void close();
}
