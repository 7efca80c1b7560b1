package dev.stepwise.caller;

/**
 * One line of {@code failed.jsonl}: an item that still failed after the last retry.
 *
 * @param id the item id (problem id)
 * @param reason why the last attempt failed ({@code HTTP 500: ...}, {@code timeout: ...}, {@code
 *     connection error: ...}, {@code malformed body: ...}); never contains the API key
 * @param status the last HTTP status, 0 when no answer arrived
 * @param attempts attempts made
 */
public record FailedItem(String id, String reason, int status, int attempts) {
  /** @return the record of a failure, from the exception a request completed with */
  static FailedItem of(String id, Throwable t) {
    Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof dev.stepwise.api.ApiException a) {
      return new FailedItem(id, a.getMessage(), a.status(), a.attempts());
    }
    return new FailedItem(id, c.getClass().getSimpleName() + ": " + c.getMessage(), 0, 0);
  }
}
