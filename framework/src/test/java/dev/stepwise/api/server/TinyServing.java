package dev.stepwise.api.server;

import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A real tiny random GPT-2 (2 layers, width 32, context 256) with the ASCII character tokenizer,
 * to serve in tests; reusable by other modules through the framework's test jar.
 */
public final class TinyServing implements AutoCloseable {
  /** The served model id. */
  public static final String MODEL = "tiny-gpt2";

  /** The tokenizer. */
  public final CharTokenizer tokenizer = CharTokenizer.ascii();

  /** The model (owned by {@link #manager}). */
  public final CausalLM model;

  private final NDManager manager = NDManager.newBaseManager();

  /** @param seed initialisation seed */
  public TinyServing(long seed) {
    ModelConfig cfg = new ModelConfig("gpt2", tokenizer.vocabSize(), 32, 2, 4, 256, 0, 1e-5, 0.02);
    model = new Gpt2Family().create(cfg, manager, seed);
  }

  /** @return a fresh sampler over the model */
  public Sampler sampler() {
    return new Sampler(model, tokenizer, 64);
  }

  /** @return a server on 127.0.0.1 with a free port and the given settings (null key = none) */
  public OpenAiServer serve(ServerConfig cfg, String key) {
    return new OpenAiServer(cfg, sampler(), tokenizer, key);
  }

  /** @return a server that renders chat requests through {@code template} (null: joins contents) */
  public OpenAiServer serve(ServerConfig cfg, String key, dev.stepwise.chat.ChatTemplate template) {
    return new OpenAiServer(cfg, sampler(), tokenizer, key, template);
  }

  /** Writes the model as a checkpoint directory (config.json, model.safetensors, tokenizer). */
  public void save(Path dir) throws IOException {
    ModelCheckpoint.save(dir, model, tokenizer);
  }

  @Override
  public void close() {
    model.close();
    manager.close();
  }
}
