package dev.stepwise.run;

/**
 * Thrown at a safe point after a stop signal ({@link StopSignals}), once the job has written its
 * checkpoint or flushed its output; the CLI prints its message and exits with {@link #exitCode()}
 * (143 for SIGTERM, 130 for SIGINT), trackers record that code.
 */
public final class StopRequested extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String signal;

  /**
   * @param signal the signal's name, e.g. {@code TERM}
   * @param message what was done before stopping (step, checkpoint, how to resume)
   */
  public StopRequested(String signal, String message) {
    super(message, null, false, false);
    this.signal = signal;
  }

  /** @return the signal's name, e.g. {@code TERM} */
  public String signal() {
    return signal;
  }

  /** @return 128 + the signal's number */
  public int exitCode() {
    return StopSignals.exitCode(signal);
  }

  /** @return the {@code StopRequested} in {@code t}'s cause chain (a worker thread's, wrapped), or null */
  public static StopRequested in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StopRequested s) {
        return s;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
