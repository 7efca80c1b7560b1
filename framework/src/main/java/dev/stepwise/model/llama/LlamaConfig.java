package dev.stepwise.model.llama;

/**
 * The Llama-family architecture as one Hugging Face {@code config.json} describes it (read and
 * checked by {@link LlamaConfigJson}). One record covers Llama 2/3.x, Mistral, Qwen2/2.5, Qwen3,
 * SmolLM and TinyLlama; the differences are switches:
 *
 * @param modelType {@code llama}, {@code mistral}, {@code qwen2} or {@code qwen3}
 * @param hiddenSize D
 * @param intermediateSize I, the SwiGLU MLP width
 * @param numLayers L
 * @param numHeads H query heads
 * @param numKvHeads key/value heads (grouped-query attention), divides H
 * @param headDim d_head, even; {@code head_dim} or D / H
 * @param vocabSize V
 * @param maxPositions usable context: {@code max_position_embeddings}, or Mistral's {@code
 *     sliding_window} when smaller (within the window sliding-window attention is full causal
 *     attention; longer sequences are refused rather than approximated)
 * @param rmsNormEps epsilon of every RMSNorm
 * @param ropeTheta rotary base
 * @param ropeScaling rotary scaling ({@link RopeScaling#NONE} when absent)
 * @param qkvBias q/k/v projections have biases (Qwen2; Llama's {@code attention_bias})
 * @param oBias the output projection has a bias (Llama's {@code attention_bias})
 * @param mlpBias gate/up/down projections have biases ({@code mlp_bias})
 * @param qkNorm per-head RMSNorm of queries and keys before the rotation (Qwen3)
 * @param tieWordEmbeddings the LM head is the token embedding
 * @param initializerRange std of the normal initialisation of a fresh model
 * @param rawJson the {@code config.json} as read (written back on save with {@code torch_dtype}
 *     set to float32, so a saved checkpoint keeps every field the user's file had)
 */
public record LlamaConfig(
    String modelType,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int vocabSize,
    int maxPositions,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    boolean qkvBias,
    boolean oBias,
    boolean mlpBias,
    boolean qkNorm,
    boolean tieWordEmbeddings,
    double initializerRange,
    String rawJson) {

  /** @return query heads per key/value head, H / KVH */
  public int groups() {
    return numHeads / numKvHeads;
  }

  /** @return H · d_head, the width of the attention's query side */
  public int qDim() {
    return numHeads * headDim;
  }

  /** @return KVH · d_head, the width of keys and values */
  public int kvDim() {
    return numKvHeads * headDim;
  }
}
