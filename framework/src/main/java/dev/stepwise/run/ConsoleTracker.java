package dev.stepwise.run;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each step's metrics as one line, {@code step 120 | loss 0.8123 | learning_rate 3e-04
 * | ...}, through SLF4J (so it lands in the terminal and in {@code run.log}).
 */
public final class ConsoleTracker implements Tracker {
  private static final Logger LOG = LoggerFactory.getLogger("metrics");

  @Override
  public void log(long step, Map<String, ?> metrics) {
    LOG.info("step {} | {}", step, format(metrics));
  }

  @Override
  public void summary(Map<String, ?> values) {
    LOG.info("summary | {}", format(values));
  }

  /** @return {@code key value} pairs joined by {@code " | "}, numbers with 4 significant digits */
  static String format(Map<String, ?> metrics) {
    StringJoiner j = new StringJoiner(" | ");
    metrics.forEach(
        (k, v) -> {
          if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            j.add(k + " " + String.format(Locale.ROOT, Math.abs(d) < 1e-3 && d != 0 ? "%.3e" : "%.4g", d));
          } else {
            j.add(k + " " + v);
          }
        });
    return j.toString();
  }

  @Override
  public void close() {}
}
