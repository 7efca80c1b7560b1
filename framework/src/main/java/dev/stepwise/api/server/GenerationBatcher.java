package dev.stepwise.api.server;

import dev.stepwise.config.UserError;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups concurrent generation requests into one {@link Sampler#generate} call (what vLLM's
 * scheduler does with continuous batching, at request granularity).
 *
 * <p>One worker thread owns the sampler (which is not thread-safe). It takes the oldest waiting
 * request, then keeps collecting for up to {@code windowMs} or until {@code maxBatchPrompts}
 * prompts are gathered; requests that arrive while a batch is generating simply wait and form the
 * next batch, so under load batches fill without any window. Requests with equal {@link
 * SamplingParams} (n, temperature, top-p, top-k, max tokens, stop, seed) share one call;
 * different parameters get separate calls within the same round.
 *
 * <p>Seeds: the sampler's random stream of a row depends on the seed and the prompt's position
 * in the call, so a seeded request is exactly reproducible when it is served alone; batched with
 * other requests with the same seed, its prompts get other (still seeded) streams.
 */
public final class GenerationBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GenerationBatcher.class);

  /** The queue is full: the server answers 429. */
  public static final class Busy extends RuntimeException {
    Busy() {
      super("too many requests waiting for generation", null, false, false);
    }
  }

  private record Job(List<String> prompts, SamplingParams params, CompletableFuture<List<List<Completion>>> done) {}

  private final Sampler sampler;
  private final int maxBatchPrompts;
  private final long windowNanos;
  private final BlockingQueue<Job> queue;
  private final Thread worker;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong batchedRequests = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param sampler the sampler (used by the worker thread only from now on)
   * @param maxBatchPrompts most prompts per round (&ge; 1; a single larger request still runs)
   * @param windowMs collection window after the first request, in milliseconds
   * @param maxQueued most requests waiting; beyond that {@link #submit} throws {@link Busy}
   */
  public GenerationBatcher(Sampler sampler, int maxBatchPrompts, double windowMs, int maxQueued) {
    this.sampler = sampler;
    this.maxBatchPrompts = maxBatchPrompts;
    this.windowNanos = Math.round(windowMs * 1e6);
    this.queue = new ArrayBlockingQueue<>(maxQueued);
    this.worker = new Thread(this::loop, "generation-batcher");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /**
   * Queues prompts for generation.
   *
   * @return completes with one list of {@code params.n()} completions per prompt, or
   *     exceptionally with {@link UserError} (bad prompt) or the sampler's failure
   * @throws Busy when {@code maxQueued} requests are already waiting
   */
  public CompletableFuture<List<List<Completion>>> submit(List<String> prompts, SamplingParams params) {
    CompletableFuture<List<List<Completion>>> f = new CompletableFuture<>();
    if (closed || !queue.offer(new Job(List.copyOf(prompts), params, f))) {
      throw new Busy();
    }
    return f;
  }

  /** @return sampler calls made and requests served, so far ({@code requests / calls} = mean batching) */
  public long[] counts() {
    return new long[] {calls.get(), batchedRequests.get()};
  }

  private void loop() {
    while (!closed) {
      List<Job> round = new ArrayList<>();
      try {
        Job first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        round.add(first);
        int prompts = first.prompts().size();
        long deadline = System.nanoTime() + windowNanos;
        while (prompts < maxBatchPrompts) {
          Job j = queue.poll();
          if (j == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || (j = queue.poll(left, TimeUnit.NANOSECONDS)) == null) {
              break;
            }
          }
          round.add(j);
          prompts += j.prompts().size();
        }
      } catch (InterruptedException e) {
        round.forEach(j -> j.done().completeExceptionally(new IllegalStateException("server is shutting down")));
        return;
      }
      run(round);
    }
  }

  private void run(List<Job> round) {
    Map<SamplingParams, List<Job>> groups = new LinkedHashMap<>();
    round.forEach(j -> groups.computeIfAbsent(j.params(), k -> new ArrayList<>()).add(j));
    for (var g : groups.entrySet()) {
      List<String> all = new ArrayList<>();
      g.getValue().forEach(j -> all.addAll(j.prompts()));
      try {
        List<List<Completion>> out = sampler.generate(all, g.getKey());
        calls.incrementAndGet();
        batchedRequests.addAndGet(g.getValue().size());
        int at = 0;
        for (Job j : g.getValue()) {
          j.done().complete(out.subList(at, at + j.prompts().size()));
          at += j.prompts().size();
        }
      } catch (UserError e) {
        // one bad prompt must not fail the others: retry the group's requests one by one
        if (g.getValue().size() > 1) {
          g.getValue().forEach(j -> run(List.of(j)));
        } else {
          g.getValue().get(0).done().completeExceptionally(e);
        }
      } catch (RuntimeException | Error e) {
        LOG.error("generation failed", e);
        g.getValue().forEach(j -> j.done().completeExceptionally(e));
      }
    }
  }

  /** Stops the worker; waiting requests fail. */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Job j;
    while ((j = queue.poll()) != null) {
      j.done().completeExceptionally(new IllegalStateException("server is shutting down"));
    }
  }
}
