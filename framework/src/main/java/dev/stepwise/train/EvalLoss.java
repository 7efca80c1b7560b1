package dev.stepwise.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The objective's loss on an evaluation set, without gradients: {@code eval/loss} is the mean
 * of the batch losses weighted by the number of examples in each batch (Hugging Face's {@code
 * eval_loss} averages per-batch losses the same way), and every objective metric {@code m} is
 * reported as {@code eval/m}, weighted alike. Batches follow the data's natural order.
 */
@SuppressWarnings("try") // guards (NoGrad, NDScope) are opened for their effect only
final class EvalLoss {
  private EvalLoss() {}

  /**
   * @param batchSize examples per batch, &ge; 1
   * @param root manager under which each batch's sub-manager is opened and closed
   * @return {@code eval/loss} and {@code eval/<metric>}
   */
  static <B> Map<String, Double> run(
      Objective<B> objective, TrainData<B> data, int batchSize, NDManager root) {
    int n = data.size();
    double lossSum = 0;
    Map<String, Double> sums = new LinkedHashMap<>();
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    try (NoGrad ignored = NoGrad.open()) {
      for (int from = 0; from < n; from += batchSize) {
        int[] idx = Arrays.copyOfRange(all, from, Math.min(n, from + batchSize));
        try (NDScope scope = new NDScope(); NDManager step = root.newSubManager()) {
          StepOutput out = objective.forward(data.collate(idx, step), step);
          lossSum += idx.length * scalar(out.loss());
          for (Map.Entry<String, NDArray> e : out.metrics().entrySet()) {
            sums.merge("eval/" + e.getKey(), idx.length * scalar(e.getValue()), Double::sum);
          }
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("eval/loss", lossSum / n);
    sums.forEach((k, v) -> out.put(k, v / n));
    return out;
  }

  private static double scalar(NDArray a) {
    return a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()[0];
  }
}
