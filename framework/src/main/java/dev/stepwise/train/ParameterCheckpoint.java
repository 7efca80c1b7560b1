package dev.stepwise.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.stepwise.config.UserError;
import dev.stepwise.model.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link CheckpointHook} for a plain map of named parameters: writes them to {@code
 * model.safetensors} (metadata {@code format = pt}, as {@code transformers} writes) and loads
 * them back in place. A model class can delegate to it and add its {@code config.json}.
 *
 * <p>Loading copies into the existing arrays with an indexed assignment ({@code p[...] = src},
 * libtorch {@code index_put_}) under {@link NoGrad}. {@code NDArray.set(Buffer)} is avoided: on
 * CPU, DJL 0.35 implements it with {@code set_()} onto a storage that wraps the Java buffer
 * (no copy), which silently re-points the parameter at Java-owned memory.
 */
@SuppressWarnings("try") // guards (NoGrad, NDScope) are opened for their effect only
public final class ParameterCheckpoint implements CheckpointHook {
  /** File name of the weights. */
  public static final String FILE = "model.safetensors";

  private final Map<String, NDArray> params;

  /** @param params name (Hugging Face naming) to parameter; kept by reference */
  public ParameterCheckpoint(Map<String, NDArray> params) {
    this.params = params;
  }

  @Override
  public void save(Path dir) throws IOException {
    Safetensors.write(dir.resolve(FILE), params, Map.of("format", "pt"));
  }

  @Override
  public void load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    NDManager any = params.values().iterator().next().getManager();
    try (NDManager tmp = NDManager.newBaseManager(any.getDevice());
        NoGrad ignored = NoGrad.open()) {
      Map<String, NDArray> saved = Safetensors.read(file, tmp);
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray src = saved.get(e.getKey());
        if (src == null) {
          throw new UserError(file + ": no tensor '" + e.getKey() + "' (has " + saved.keySet() + ")");
        }
        if (!src.getShape().equals(e.getValue().getShape())) {
          throw new UserError(
              file + ": tensor '" + e.getKey() + "' has shape " + src.getShape()
                  + ", the model expects " + e.getValue().getShape());
        }
        e.getValue().set(new NDIndex("..."), src.toType(e.getValue().getDataType(), false));
      }
    }
  }
}
