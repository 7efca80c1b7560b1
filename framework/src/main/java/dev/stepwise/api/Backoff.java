package dev.stepwise.api;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays: exponential backoff with "equal jitter" (AWS architecture blog, "Exponential
 * Backoff and Jitter"): the delay before retry {@code r} (1-based) is uniform in {@code [d/2, d]}
 * with {@code d = min(max, initial * 2^(r-1))}; a server's {@code Retry-After} raises it to at
 * least what the server asked for.
 */
public final class Backoff {
  private final double initialS;
  private final double maxS;

  /**
   * @param initialS base delay in seconds (&ge; 0)
   * @param maxS cap in seconds (&ge; initialS)
   */
  public Backoff(double initialS, double maxS) {
    this.initialS = initialS;
    this.maxS = maxS;
  }

  /**
   * @param retry 1 for the first retry, 2 for the second, ...
   * @param retryAfter the server's {@code Retry-After}, when it sent one
   * @return the delay in milliseconds (&ge; 0)
   */
  public long delayMillis(int retry, Optional<Duration> retryAfter) {
    double d = Math.min(maxS, initialS * Math.pow(2, Math.max(0, retry - 1)));
    double jittered = d / 2 + ThreadLocalRandom.current().nextDouble() * d / 2;
    long ms = Math.round(jittered * 1000);
    return retryAfter.map(ra -> Math.max(ms, ra.toMillis())).orElse(ms);
  }

  /**
   * Parses a {@code Retry-After} header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
   *
   * @param value the header value, or null
   * @param nowMillis the current time (for HTTP-dates)
   * @return the delay, empty when absent or unparsable
   */
  public static Optional<Duration> parseRetryAfter(String value, long nowMillis) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      double s = Double.parseDouble(v);
      return s >= 0 && Double.isFinite(s) ? Optional.of(Duration.ofMillis(Math.round(s * 1000))) : Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Optional.of(Duration.ofMillis(Math.max(0, at - nowMillis)));
      } catch (RuntimeException notDate) {
        return Optional.empty();
      }
    }
  }
}
