package dev.stepwise.caller;

import dev.stepwise.api.ClientConfig;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;

/**
 * The caller's settings (config group {@code api/caller}, section {@code api.caller}).
 *
 * @param client connection, concurrency, timeout and retry settings
 * @param endpoint {@code completions} ({@code /v1/completions}, the prompt as is) or {@code chat}
 *     ({@code /v1/chat/completions}, the prompt as one user message)
 * @param model the model id to request; null = the first id listed by {@code /v1/models}
 */
public record CallerConfig(ClientConfig client, String endpoint, @Nullable String model) {
  /** Validates the endpoint name. */
  public CallerConfig {
    if (!"completions".equals(endpoint) && !"chat".equals(endpoint)) {
      throw new UserError("api.caller.endpoint must be 'completions' or 'chat', got '" + endpoint + "'");
    }
  }
}
