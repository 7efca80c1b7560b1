package dev.stepwise.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The outside world of {@link Cli}: output streams, environment and working directory, so that
 * tests can inject their own.
 *
 * @param out standard output (configs, help)
 * @param err standard error (error messages)
 * @param env environment variables: {@code STEPWISE_FULL_ERROR} and {@code ${VAR}} fallbacks
 * @param cwd directory that relative {@code -cp} and {@code --config-root} are resolved against
 */
public record CliIo(PrintStream out, PrintStream err, Map<String, String> env, Path cwd) {

  /** @return the process's streams, environment and working directory */
  public static CliIo system() {
    return new CliIo(System.out, System.err, System.getenv(), Path.of("").toAbsolutePath());
  }
}
