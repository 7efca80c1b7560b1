package dev.stepwise.config;

/**
 * An error caused by the user's input (a config key, an override, a data file), not by a bug.
 *
 * <p>Entry points catch it, print {@link #getMessage()} as one clear message without a stack
 * trace, and exit with code 2; {@code STEPWISE_FULL_ERROR=1} prints the full trace as well.
 * Messages name what was wrong, where it came from (file and line when known) and, when
 * possible, the closest valid alternative ("did you mean ...").
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message the complete, user-facing message */
  public UserError(String message) {
    super(message);
  }

  /**
   * @param message the complete, user-facing message
   * @param cause the underlying exception, shown only with {@code STEPWISE_FULL_ERROR=1}
   */
  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
