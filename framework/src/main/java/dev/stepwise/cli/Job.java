package dev.stepwise.cli;

import dev.stepwise.config.ComposedConfig;

/** What an entry point runs once its config is composed and resolved. */
@FunctionalInterface
public interface Job {
  /**
   * @param config the composed, resolved config
   * @throws Exception any failure; a {@link dev.stepwise.config.UserError} exits with code 2 and a
   *     one-line message, anything else with code 1 and a stack trace
   */
  void run(ComposedConfig config) throws Exception;
}
