package dev.stepwise.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates per-step values between two logging points and turns them into one record with
 * Hugging Face Trainer key names: {@code loss} (mean of the step losses in the window), {@code
 * grad_norm} (the last step's, before clipping), {@code learning_rate} (the rate used by the
 * last step's update), {@code epoch} (fractional), {@code num_tokens} (cumulative), {@code
 * tokens_per_second} (window tokens / window wall-clock seconds), then the objective's own
 * metrics averaged over the window's steps (each step's value is itself the mean over its
 * micro-batches).
 */
final class MetricWindow {
  private double lossSum;
  private int steps;
  private long tokens;
  private final Map<String, Double> metricSums = new TreeMap<>();
  private final Map<String, Integer> metricCounts = new TreeMap<>();
  private long startNanos = System.nanoTime();

  /** Adds one optimizer step. */
  void add(double loss, Map<String, Double> metrics, long stepTokens) {
    lossSum += loss;
    steps++;
    tokens += stepTokens;
    metrics.forEach((k, v) -> {
      metricSums.merge(k, v, Double::sum);
      metricCounts.merge(k, 1, Integer::sum);
    });
  }

  /** @return true when no step was added since the last flush */
  boolean isEmpty() {
    return steps == 0;
  }

  /** @return the record for the window, then starts a new window */
  Map<String, Object> flush(double gradNorm, double lr, double epoch, long totalTokens) {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("loss", lossSum / steps);
    out.put("grad_norm", gradNorm);
    out.put("learning_rate", lr);
    out.put("epoch", epoch);
    out.put("num_tokens", totalTokens);
    out.put("tokens_per_second", tokens / seconds);
    metricSums.forEach((k, v) -> out.put(k, v / metricCounts.get(k)));
    lossSum = 0;
    steps = 0;
    tokens = 0;
    metricSums.clear();
    metricCounts.clear();
    startNanos = System.nanoTime();
    return out;
  }
}
