package dev.stepwise.api;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Exponential backoff with jitter and Retry-After parsing. */
class BackoffTest {
  @Test
  void delaysDoubleWithinJitterBoundsAndAreCapped() {
    Backoff b = new Backoff(0.1, 1.0);
    for (int i = 0; i < 200; i++) {
      long d1 = b.delayMillis(1, Optional.empty());
      long d3 = b.delayMillis(3, Optional.empty());
      long d9 = b.delayMillis(9, Optional.empty());
      assertTrue(d1 >= 50 && d1 <= 100, "retry 1: " + d1);
      assertTrue(d3 >= 200 && d3 <= 400, "retry 3: " + d3);
      assertTrue(d9 >= 500 && d9 <= 1000, "retry 9 is capped: " + d9);
    }
    assertEquals(7000, b.delayMillis(1, Optional.of(Duration.ofSeconds(7))));
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    assertEquals(Optional.of(Duration.ofMillis(2500)), Backoff.parseRetryAfter(" 2.5 ", 0));
    long now = 784111777000L - 3000; // 3 s before the RFC 9110 example date
    assertEquals(Optional.of(Duration.ofMillis(3000)), Backoff.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now));
    assertEquals(Optional.empty(), Backoff.parseRetryAfter("soon", 0));
    assertEquals(Optional.empty(), Backoff.parseRetryAfter(null, 0));
    assertEquals(Optional.empty(), Backoff.parseRetryAfter("-1", 0));
  }
}
