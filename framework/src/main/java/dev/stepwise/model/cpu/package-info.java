/**
 * The CPU decoder: GPT-2 incremental decoding and token choice written in Java on the Vector API
 * ({@code jdk.incubator.vector}), used by the sampler instead of the TorchScript decode step when
 * the model lives on the CPU and the JVM runs with {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Why: a decode step of Stepwise's small models is ~100 tiny tensor ops; through libtorch each
 * pays interpreter, dispatch and allocation overhead, and attention over the KV cache runs as one
 * small GEMV per (row, head). Here a step is a handful of register-tiled loops over plain float
 * arrays with no per-op overhead (docs/benchmarks.md, "Sampling: the Java CPU decoder").
 */
package dev.stepwise.model.cpu;
