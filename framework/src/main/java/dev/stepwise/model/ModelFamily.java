package dev.stepwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * A model architecture, selected by {@link ModelConfig#family()} (registry name). Implementations
 * build a {@link CausalLM} either freshly initialised or around existing parameter tensors (a
 * loaded checkpoint).
 */
public interface ModelFamily {
  /** @return the registry name, e.g. {@code "gpt2"}; also written as {@code stepwise_family} */
  String name();

  /**
   * The parameter names and shapes this family expects for {@code config}, in the order of
   * {@link CausalLM#parameters()}.
   */
  Map<String, Shape> parameterShapes(ModelConfig config);

  /**
   * A freshly initialised model. The initialisation is a pure function of {@code config} and
   * {@code seed}: values are drawn in Java from a seeded generator, never from the engine's
   * global RNG.
   *
   * @param config shape; {@code vocabSize} must be &gt; 0
   * @param manager parent manager; the model's arrays live in a sub-manager of it
   * @param seed initialisation seed
   */
  CausalLM create(ModelConfig config, NDManager manager, long seed);

  /**
   * A model around existing float32 tensors, which it takes over (re-attaches to its own
   * sub-manager of {@code manager}) and makes trainable.
   *
   * @param parameters exactly the names of {@link #parameterShapes}, with those shapes
   * @throws IllegalArgumentException when a name is missing or a shape differs
   */
  CausalLM wrap(ModelConfig config, NDManager manager, Map<String, NDArray> parameters);

  /**
   * What {@link #wrap} implementations share: checks that {@code parameters} has exactly the
   * names and shapes of {@code expected}, widens non-float32 arrays to float32 and re-attaches
   * them to {@code own}, the model's manager.
   *
   * @return the parameters in {@code expected}'s order
   * @throws IllegalArgumentException when a name is missing or unexpected or a shape differs
   */
  static Map<String, NDArray> adopt(Map<String, Shape> expected, NDManager own, Map<String, NDArray> parameters) {
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      NDArray a = parameters.get(e.getKey());
      if (a == null) {
        throw new IllegalArgumentException("missing parameter '" + e.getKey() + "'");
      }
      if (!a.getShape().equals(e.getValue())) {
        throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape " + a.getShape() + ", expected " + e.getValue());
      }
    }
    for (String k : parameters.keySet()) {
      if (!expected.containsKey(k)) {
        throw new IllegalArgumentException("unexpected parameter '" + k + "'");
      }
    }
    Map<String, NDArray> params = new java.util.LinkedHashMap<>();
    for (String k : expected.keySet()) {
      NDArray a = parameters.get(k);
      if (a.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
        a = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
      }
      a.attach(own);
      params.put(k, a);
    }
    return params;
  }
}
