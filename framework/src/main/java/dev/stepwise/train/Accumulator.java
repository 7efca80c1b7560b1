package dev.stepwise.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.stepwise.model.GradientCheckpointing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the forward and backward passes of one optimizer step: {@code k =
 * gradient_accumulation_steps} micro-batches, each loss divided by {@code k} before its
 * backward, so that the gradients left in the parameters' {@code .grad} are those of the mean
 * of the {@code k} micro-batch losses.
 *
 * <p>Why this accumulates correctly (DJL 0.35.1 / PyTorch, checked in the byte code): {@code
 * PtGradientCollector}'s constructor only switches grad mode on and its {@code close()} only
 * restores it; neither touches any gradient. {@code backward(loss)} calls {@code
 * torch::autograd::backward} with a ones seed and {@code retain_graph = false}, which ADDS into
 * every leaf's {@code .grad}. So successive backward calls accumulate, and the gradients must be
 * zeroed explicitly after each update ({@link AdamW#step} does it) and once before the first
 * step ({@link Grads#zero}).
 *
 * <p>Autograd trap (DESIGN.md §5): on CPU, DJL creates arrays from Java data ({@code
 * manager.create(float)}, {@code mul(Number)}) as zero-copy views of a direct {@code ByteBuffer}
 * that only the Java array object keeps alive; {@code mul(Number)} closes its temporary at once,
 * so after a GC the autograd graph reads freed memory. The scale {@code 1/k} is therefore an
 * array of the step's manager, alive until the step closes, and written {@code scale.mul(loss)}
 * so that the product (and backward's seed) also land in the step's manager.
 */
@SuppressWarnings("try") // guards (NoGrad, NDScope) are opened for their effect only
final class Accumulator<B> {
  /** The mean loss, mean metrics and token count of one step. */
  record Stats(double loss, Map<String, Double> metrics, long tokens) {}

  private final Objective<B> objective;
  private final TrainData<B> data;
  private final DataOrder order;
  private final int steps;
  /** Test hook, run between each forward and its backward (e.g. {@code System.gc()}). */
  Runnable beforeBackward = () -> {};
  /** Checkpoint the decoder layers of every forward ({@code trainer.gradient_checkpointing}). */
  boolean gradientCheckpointing;

  Accumulator(Objective<B> objective, TrainData<B> data, DataOrder order, int accumulationSteps) {
    this.objective = objective;
    this.data = data;
    this.order = order;
    this.steps = accumulationSteps;
  }

  /**
   * Consumes {@code k} micro-batches from the data order and accumulates their gradients.
   *
   * @param step the step's manager; every array created belongs to it (or to the caller's scope)
   * @return the mean of the micro-batch losses and metrics (one host synchronisation)
   */
  Stats run(NDManager step) {
    NDArray scale = step.create(1f / steps);
    List<NDArray> losses = new ArrayList<>(steps);
    Map<String, List<NDArray>> metrics = new LinkedHashMap<>();
    long tokens = 0;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector();
        GradientCheckpointing.Tape tape = gradientCheckpointing ? GradientCheckpointing.open() : null) {
      for (int i = 0; i < steps; i++) {
        B batch = data.collate(order.next(), step);
        StepOutput out = objective.forward(batch, step);
        NDArray scaled = scale.mul(out.loss());
        beforeBackward.run();
        gc.backward(scaled);
        if (tape != null) {
          tape.backward(); // the recomputed layers' share of the gradients
        }
        losses.add(out.loss());
        out.metrics().forEach((k, v) -> metrics.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        tokens += out.numTokens();
      }
    }
    // One read for every scalar of the step.
    float[] values;
    try (NoGrad ignored = NoGrad.open()) {
      values = readAll(losses, metrics, step);
    }
    double loss = mean(values, 0, steps);
    Map<String, Double> means = new LinkedHashMap<>();
    int at = steps;
    for (Map.Entry<String, List<NDArray>> e : metrics.entrySet()) {
      int n = e.getValue().size();
      means.put(e.getKey(), mean(values, at, n));
      at += n;
    }
    return new Stats(loss, means, tokens);
  }

  private static float[] readAll(
      List<NDArray> losses, Map<String, List<NDArray>> metrics, NDManager step) {
    NDList all = new NDList();
    losses.forEach(l -> all.add(l.toType(DataType.FLOAT32, false).reshape(1)));
    metrics.values().forEach(vs -> vs.forEach(v -> all.add(v.toType(DataType.FLOAT32, false).reshape(1))));
    NDArray joined = NDArrays.concat(all);
    joined.attach(step);
    return joined.toType(DataType.FLOAT32, false).toFloatArray();
  }

  private static double mean(float[] v, int from, int n) {
    double s = 0;
    for (int i = from; i < from + n; i++) {
      s += v[i];
    }
    return s / n;
  }
}
