package dev.stepwise.model;

import dev.stepwise.config.Nullable;
import dev.stepwise.model.llama.LlamaConfig;

/**
 * Shape of a decoder-only transformer, bound from the {@code model} config group.
 *
 * <p>Field names follow Hugging Face's GPT-2 {@code config.json} ({@code n_embd}, {@code n_layer},
 * {@code n_head}, {@code n_positions}, {@code n_inner}, {@code layer_norm_epsilon}) so that a
 * checkpoint's {@code config.json} is the same record, written with snake_case keys. They are
 * the shape every family has; a Llama-family model maps {@code hidden_size}, {@code
 * num_hidden_layers}, {@code num_attention_heads}, {@code max_position_embeddings}, {@code
 * intermediate_size} and {@code rms_norm_eps} onto them and carries the rest in {@link #llama}.
 *
 * @param family registry name of the model family, e.g. {@code "gpt2"}
 * @param vocabSize number of token ids; taken from the tokenizer when 0 in the config
 * @param nEmbd model width d (hidden size), divisible by {@code nHead}
 * @param nLayer number of transformer blocks
 * @param nHead number of attention heads
 * @param nPositions context length (maximum sequence length, prompt plus completion)
 * @param nInner MLP hidden width; 0 means {@code 4 * nEmbd}
 * @param layerNormEpsilon epsilon of every LayerNorm
 * @param initializerRange standard deviation of the normal weight initialisation (GPT-2: 0.02)
 * @param llama the Llama-family details (null for GPT-2); never bound from HOCON: a Llama-family
 *     model comes from a Hugging Face directory ({@code model.path})
 */
public record ModelConfig(
    String family,
    int vocabSize,
    int nEmbd,
    int nLayer,
    int nHead,
    int nPositions,
    int nInner,
    double layerNormEpsilon,
    double initializerRange,
    @Nullable LlamaConfig llama) {

  /** A GPT-2-style shape with no family details. */
  public ModelConfig(
      String family, int vocabSize, int nEmbd, int nLayer, int nHead, int nPositions, int nInner,
      double layerNormEpsilon, double initializerRange) {
    this(family, vocabSize, nEmbd, nLayer, nHead, nPositions, nInner, layerNormEpsilon, initializerRange, null);
  }

  /** @return the MLP hidden width, {@code nInner} or {@code 4 * nEmbd} when unset */
  public int innerDim() {
    return nInner > 0 ? nInner : 4 * nEmbd;
  }

  /** @return this config with {@code vocabSize} replaced */
  public ModelConfig withVocabSize(int v) {
    if (llama != null && llama.vocabSize() != v) {
      throw new IllegalArgumentException("a Llama-family model's vocabulary comes from its config.json (" + llama.vocabSize() + ")");
    }
    return new ModelConfig(family, v, nEmbd, nLayer, nHead, nPositions, nInner, layerNormEpsilon, initializerRange, llama);
  }
}
