package dev.stepwise.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.stepwise.config.UserError;
import dev.stepwise.run.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tiny real models for training tests, reusable by other modules through the framework's test
 * jar: a next-token task and a two-layer MLP language model on raw NDArray parameters with
 * Hugging Face-style names, its {@link Objective}, a recording {@link Tracker}, and HOCON binding
 * of the trainer configs.
 */
public final class TinyModels {
  private TinyModels() {}

  /**
   * One micro-batch of the next-token task.
   *
   * @param inputs int64 [b] input token ids
   * @param targets int64 [b] next-token ids
   */
  public record Batch(NDArray inputs, NDArray targets) {}

  /**
   * A deterministic next-token task: example {@code i} has input {@code t = i mod vocab} and
   * target {@code (5t + 3) mod vocab}; learnable exactly, so the loss can fall from {@code
   * ln(vocab)} towards 0.
   */
  public static TrainData<Batch> nextTokenData(int size, int vocab) {
    return new TrainData<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Batch collate(int[] indices, NDManager step) {
        long[] in = new long[indices.length];
        long[] out = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
          in[i] = indices[i] % vocab;
          out[i] = (5L * in[i] + 3) % vocab;
        }
        return new Batch(step.create(in), step.create(out));
      }
    };
  }

  /**
   * Parameters of a two-layer MLP LM, float32, gradients attached, values from {@code new
   * Random(seed)} (Gaussian, std 0.5): {@code model.embed_tokens.weight} [vocab, dim], {@code
   * model.mlp.up_proj.weight} [hidden, dim], {@code model.mlp.up_proj.bias} [hidden], {@code
   * model.norm.weight} [hidden] (initialised to 1), {@code lm_head.weight} [vocab, hidden].
   */
  public static Map<String, NDArray> mlpParams(
      NDManager m, int vocab, int dim, int hidden, long seed) {
    Random r = new Random(seed);
    Map<String, NDArray> p = new LinkedHashMap<>();
    p.put("model.embed_tokens.weight", gaussian(m, r, vocab, dim));
    p.put("model.mlp.up_proj.weight", gaussian(m, r, hidden, dim));
    p.put("model.mlp.up_proj.bias", gaussian(m, r, hidden));
    p.put("model.norm.weight", m.ones(new Shape(hidden)));
    p.put("lm_head.weight", gaussian(m, r, vocab, hidden));
    p.values().forEach(a -> a.setRequiresGradient(true));
    return p;
  }

  /**
   * The MLP LM's objective: {@code logits = (tanh(E[x]·Uᵀ + b) ⊙ g)·Hᵀ}, loss = mean over the
   * micro-batch of the cross-entropy of the target; metric {@code mean_token_accuracy}.
   * Parameters are deliberately used as FIRST operands in places ({@code W.transpose()}), so
   * their results land in the parameters' manager: the trainer's step scope must free them.
   */
  public static Objective<Batch> mlpObjective(Map<String, NDArray> p, int vocab) {
    return (b, step) -> {
      NDArray x = b.inputs().oneHot(vocab); // float32 [b, vocab]
      NDArray e = x.matMul(p.get("model.embed_tokens.weight"));
      NDArray h = e.matMul(p.get("model.mlp.up_proj.weight").transpose())
          .add(p.get("model.mlp.up_proj.bias"))
          .tanh()
          .mul(p.get("model.norm.weight"));
      NDArray logits = h.matMul(p.get("lm_head.weight").transpose());
      NDArray nll = logits.logSoftmax(-1).mul(b.targets().oneHot(vocab)).sum(new int[] {-1}).neg();
      NDArray loss = nll.mean();
      NDArray acc = logits.argMax(-1).eq(b.targets()).toType(DataType.FLOAT32, false).mean();
      return new StepOutput(loss, Map.of("mean_token_accuracy", acc), b.inputs().size());
    };
  }

  /** A {@link Tracker} that keeps every record in memory. */
  public static final class RecordingTracker implements Tracker {
    /** (step, metrics) in logging order. */
    public final List<Map.Entry<Long, Map<String, Object>>> records = new ArrayList<>();
    /** The values passed to {@link #summary}, or null. */
    public Map<String, Object> summary;

    @Override
    public void log(long step, Map<String, ?> metrics) {
      records.add(Map.entry(step, new LinkedHashMap<>(metrics)));
    }

    @Override
    public void summary(Map<String, ?> values) {
      summary = new LinkedHashMap<>(values);
    }

    /** @return step to {@code key} for the records that have it */
    public Map<Long, Double> series(String key) {
      Map<Long, Double> out = new LinkedHashMap<>();
      for (var r : records) {
        if (r.getValue().get(key) instanceof Number n) {
          out.put(r.getKey(), n.doubleValue());
        }
      }
      return out;
    }

    @Override
    public void close() {}
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** @return a {@code trainer} config bound from HOCON text (snake_case keys) */
  public static TrainerConfig trainerConfig(String hocon) {
    return bind(hocon, TrainerConfig.class);
  }

  /** @return an {@code optim} config bound from HOCON text (snake_case keys) */
  public static OptimConfig optimConfig(String hocon) {
    return bind(hocon, OptimConfig.class);
  }

  /**
   * Binds like the config module does (Jackson, unknown keys fail). Jackson wraps exceptions
   * thrown by a record's constructor; the {@link UserError} inside is rethrown as is.
   */
  private static <T> T bind(String hocon, Class<T> type) {
    try {
      return JSON.convertValue(ConfigFactory.parseString(hocon).resolve().root().unwrapped(), type);
    } catch (IllegalArgumentException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof UserError u) {
          throw u;
        }
      }
      throw e;
    }
  }

  /** @return copies of the parameter values (host float arrays) */
  public static Map<String, float[]> snapshot(Map<String, NDArray> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  private static NDArray gaussian(NDManager m, Random r, long... shape) {
    Shape s = new Shape(shape);
    float[] v = new float[(int) s.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (0.5 * r.nextGaussian());
    }
    return m.create(v, s);
  }
}
