package dev.stepwise.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How the {@link Trainer} saves and restores the model inside a checkpoint directory. The model
 * side owns the file layout (Hugging Face style: {@code config.json}, {@code model.safetensors},
 * tokenizer and generation files); the trainer adds {@code optimizer.safetensors} and {@code
 * trainer_state.json} next to them.
 */
public interface CheckpointHook {
  /**
   * Writes the model files into {@code dir} (which exists and is empty of model files).
   *
   * @throws IOException when a file cannot be written
   */
  void save(Path dir) throws IOException;

  /**
   * Restores the parameter VALUES in place from the files in {@code dir}: the same NDArray
   * objects (the ones the trainer and optimizer hold) must afterwards contain the saved values.
   *
   * @throws IOException when a file cannot be read
   * @throws dev.stepwise.config.UserError when the files do not match the model (names the
   *     tensor and the file)
   */
  void load(Path dir) throws IOException;
}
