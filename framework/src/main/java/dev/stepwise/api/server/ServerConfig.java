package dev.stepwise.api.server;

import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;

/**
 * Settings of the {@link OpenAiServer} (config section {@code server}, snake_case keys).
 *
 * @param host the address to bind; {@code 127.0.0.1} keeps the server local (the default),
 *     {@code 0.0.0.0} exposes it
 * @param port the TCP port; 0 = any free port
 * @param modelName the id served on {@code /v1/models}; requests naming another model get 404
 * @param apiKeyEnv environment variable holding the bearer key clients must send; null = no key
 * @param maxBodyBytes larger request bodies get HTTP 413
 * @param maxQueued requests waiting for generation beyond which new ones get HTTP 429
 * @param maxBatchPrompts most prompts gathered into one generation call
 * @param batchWindowMs how long the batcher waits for more requests after the first (ms, &ge; 0)
 * @param maxN largest {@code n} accepted
 * @param defaultMaxTokens {@code max_tokens} when a request omits it
 * @param threads HTTP handler threads (they parse requests and write answers; none waits on a generation)
 */
public record ServerConfig(
    String host,
    int port,
    String modelName,
    @Nullable String apiKeyEnv,
    long maxBodyBytes,
    int maxQueued,
    int maxBatchPrompts,
    double batchWindowMs,
    int maxN,
    int defaultMaxTokens,
    int threads) {

  /** Validates; {@link UserError} naming the key. */
  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new UserError("server.host must be an address such as 127.0.0.1");
    }
    if (port < 0 || port > 65535) {
      throw new UserError("server.port must be in [0, 65535], got " + port);
    }
    if (modelName == null || modelName.isBlank()) {
      throw new UserError("server.model_name must be a non-empty id");
    }
    if (maxBodyBytes < 1 || maxQueued < 1 || maxBatchPrompts < 1 || maxN < 1 || defaultMaxTokens < 1 || threads < 1) {
      throw new UserError(
          "server.max_body_bytes, max_queued, max_batch_prompts, max_n, default_max_tokens and threads must all be >= 1");
    }
    if (!(batchWindowMs >= 0)) {
      throw new UserError("server.batch_window_ms must be >= 0, got " + batchWindowMs);
    }
  }

  /** @return local defaults: 127.0.0.1, a free port, 1 MiB bodies, 256 queued, 64 prompts per batch, 8 handler threads */
  public static ServerConfig local(String modelName) {
    return new ServerConfig("127.0.0.1", 0, modelName, null, 1 << 20, 256, 64, 20.0, 64, 256, 8);
  }

  /** @return a copy with the given key variable */
  public ServerConfig withApiKeyEnv(String env) {
    return new ServerConfig(host, port, modelName, env, maxBodyBytes, maxQueued, maxBatchPrompts, batchWindowMs, maxN, defaultMaxTokens, threads);
  }

  /** @return a copy with the given body limit and queue bound */
  public ServerConfig withLimits(long bodyBytes, int queued) {
    return new ServerConfig(host, port, modelName, apiKeyEnv, bodyBytes, queued, maxBatchPrompts, batchWindowMs, maxN, defaultMaxTokens, threads);
  }
}
