package dev.stepwise.api;

import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;
import java.util.List;

/**
 * Connection settings of an {@link ApiClient} (config section {@code caller}, snake_case keys).
 *
 * @param baseUrls one or more base URLs ending in {@code /v1} (e.g. {@code
 *     http://127.0.0.1:8000/v1}); requests go round-robin over them, so several replicas share the
 *     load; a retry goes to the next one
 * @param apiKeyEnv name of the environment variable holding the API key (sent as {@code
 *     Authorization: Bearer}); null = no key. The key itself never appears in config, logs or
 *     errors
 * @param concurrency most requests in flight at once (&ge; 1)
 * @param timeoutS per-attempt timeout in seconds, covering the whole response body (&gt; 0)
 * @param maxRetries retries after the first attempt (&ge; 0) on 429, 5xx, connection errors,
 *     timeouts and malformed bodies
 * @param backoffInitialS delay before the first retry in seconds; doubles per retry
 * @param backoffMaxS cap of the exponential delay in seconds (a larger {@code Retry-After} wins)
 */
public record ClientConfig(
    List<String> baseUrls,
    @Nullable String apiKeyEnv,
    int concurrency,
    double timeoutS,
    int maxRetries,
    double backoffInitialS,
    double backoffMaxS) {

  /** Validates; {@link UserError} naming the key. */
  public ClientConfig {
    if (baseUrls == null || baseUrls.isEmpty()) {
      throw new UserError("caller.base_urls must list at least one URL, e.g. [\"http://127.0.0.1:8000/v1\"]");
    }
    baseUrls = baseUrls.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
    for (String u : baseUrls) {
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new UserError("caller.base_urls: '" + u + "' is not an http:// or https:// URL");
      }
    }
    if (concurrency < 1) {
      throw new UserError("caller.concurrency must be >= 1, got " + concurrency);
    }
    if (!(timeoutS > 0)) {
      throw new UserError("caller.timeout_s must be > 0, got " + timeoutS);
    }
    if (maxRetries < 0) {
      throw new UserError("caller.max_retries must be >= 0, got " + maxRetries);
    }
    if (!(backoffInitialS >= 0) || !(backoffMaxS >= backoffInitialS)) {
      throw new UserError(
          "caller.backoff_initial_s must be >= 0 and <= caller.backoff_max_s, got " + backoffInitialS + " and " + backoffMaxS);
    }
  }

  /** @return a config for one URL with 16 in flight, 60 s timeout, 5 retries, 0.5-30 s backoff */
  public static ClientConfig of(String baseUrl) {
    return new ClientConfig(List.of(baseUrl), null, 16, 60, 5, 0.5, 30);
  }

  /** @return a copy with the given concurrency */
  public ClientConfig withConcurrency(int v) {
    return new ClientConfig(baseUrls, apiKeyEnv, v, timeoutS, maxRetries, backoffInitialS, backoffMaxS);
  }

  /** @return a copy with the given timeout, retries and backoff */
  public ClientConfig withRetries(double timeout, int retries, double initial, double max) {
    return new ClientConfig(baseUrls, apiKeyEnv, concurrency, timeout, retries, initial, max);
  }

  /** @return a copy reading the key from {@code env} */
  public ClientConfig withApiKeyEnv(String env) {
    return new ClientConfig(baseUrls, env, concurrency, timeoutS, maxRetries, backoffInitialS, backoffMaxS);
  }
}
