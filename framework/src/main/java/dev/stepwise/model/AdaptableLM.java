package dev.stepwise.model;

import java.util.List;

/**
 * A {@link CausalLM} whose decoder-layer projections can carry a {@link LinearAdapter} (LoRA).
 * Both families implement it: Llama ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code
 * o_proj}, {@code gate_proj}, {@code up_proj}, {@code down_proj}) and GPT-2 ({@code c_attn},
 * {@code attn.c_proj}, {@code c_fc}, {@code mlp.c_proj}).
 */
public interface AdaptableLM extends CausalLM {
  /**
   * @return every linear projection inside the decoder layers, layer by layer in forward order;
   *     the LM head is not among them (PEFT's {@code all-linear} leaves it out too)
   */
  List<LinearModule> linearModules();

  /**
   * Installs (or, with null, removes) the adapter the forwards consult. The Java decoder's
   * weight snapshot follows: with an active adapter it holds merged weights, retaken after every
   * parameter update ({@link ParameterVersion#current()}).
   */
  void setAdapter(LinearAdapter adapter);
}
