/**
 * Benchmark mains (run by {@code scripts/bench/*.sh}): generation throughput with the KV cache
 * ({@link dev.stepwise.bench.SamplingBench}) and training-step time and model-FLOPs utilisation
 * ({@link dev.stepwise.bench.TrainStepBench}). They print figures for {@code docs/benchmarks.md}
 * together with the machine load, since the development machine is shared.
 */
package dev.stepwise.bench;
