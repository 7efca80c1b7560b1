package dev.stepwise.api;

/**
 * A request that failed for good: a non-retryable answer (4xx other than 429) or the last retry
 * used up. The message is the reason written to {@code failed.jsonl}; it never contains the API
 * key.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final int attempts;

  /**
   * @param reason what went wrong on the last attempt
   * @param status the last HTTP status, or 0 when no response arrived
   * @param attempts attempts made (&ge; 1)
   */
  public ApiException(String reason, int status, int attempts) {
    super(reason);
    this.status = status;
    this.attempts = attempts;
  }

  /** @return the last HTTP status, or 0 when the last attempt got no response */
  public int status() {
    return status;
  }

  /** @return attempts made, the first included */
  public int attempts() {
    return attempts;
  }
}
