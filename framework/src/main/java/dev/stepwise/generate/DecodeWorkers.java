package dev.stepwise.generate;

import ai.djl.pytorch.jni.JniUtils;
import dev.stepwise.config.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Inter-op parallel decoding: runs independent {@link SamplerChunk}s (each with its own KV cache)
 * on Java threads that each use ONE intra-op (OpenMP) thread (with the default worker count;
 * generally the caller's intra-op threads divided among the workers), instead of one chunk whose
 * every op is split over all cores.
 *
 * <p>Why: a decode step of Stepwise's small models is ~100 tiny ops (a 32×128 layer norm, a
 * 32×128·128×384 GEMM, ...). Split over OpenMP threads, each op pays a fork/join barrier that
 * costs about as much as the work it saves, and the interpreter's per-op dispatch stays serial;
 * under load from other processes the spinning OpenMP team collapses throughput (measured: batch
 * 32 at 2 intra-op threads fell to ~700 tok/s at load 7 while 1 thread gave ~9,800). Two chunks
 * of half the rows decoded by two single-threaded workers run dispatch and arithmetic in
 * parallel with no barrier at all (docs/benchmarks.md, "Sampling: inter-op parallel decoding").
 *
 * <p>Thread settings: libtorch's {@code at::set_num_threads} stores a process-wide default (read
 * by threads the first time they run a parallel op) and sets the calling thread's OpenMP and MKL
 * thread counts, which are per thread. A worker therefore first triggers its lazy initialisation
 * ({@code getNumThreads}) and then sets its own count; the caller restores the process-wide
 * default to its own value when the work is done, so the caller and threads created later keep
 * the configured {@code ai.djl.pytorch.num_threads}. (While the workers run, a thread that touches
 * libtorch for the very first time would start with 1 intra-op thread.)
 *
 * <p>The pool is process-wide, of daemon threads that exit after 60 s idle; safe to use from
 * several threads at once.
 */
final class DecodeWorkers {
  private DecodeWorkers() {}

  /**
   * Sampler chunks that run concurrently get at least this many rows each (smaller calls decode
   * on the calling thread, whose intra-op threads still speed up a long single prompt's prefill).
   * At 16 rows, two workers of 8 gave 2,354–2,492 tok/s against 383–837 for one chunk on 2
   * intra-op threads (load 7–8, back to back).
   */
  static final int MIN_ROWS_PER_WORKER = 8;

  /**
   * System property: number of concurrent decode workers, or {@code auto}
   * (default: the calling thread's intra-op thread count, i.e. {@code ai.djl.pytorch.num_threads});
   * {@code 1} turns inter-op decoding off (one chunk at a time on the caller's intra-op threads).
   */
  static final String PROPERTY = "stepwise.sampler.workers";

  private static final AtomicInteger IDS = new AtomicInteger();
  /** A worker's current intra-op thread count. */
  private static final ThreadLocal<Integer> THREADS = ThreadLocal.withInitial(() -> 0);
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t =
                new Thread(
                    () -> {
                      // lazy per-thread init first, else it would later undo useThreads()
                      THREADS.set(JniUtils.getNumThreads());
                      r.run();
                    },
                    "stepwise-decode-" + IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  /**
   * @return the number of workers to use for {@code rows} completions: the configured count (see
   *     {@link #PROPERTY}), limited so that each worker gets at least {@link #MIN_ROWS_PER_WORKER}
   *     rows; 1 means "decode on the calling thread"
   * @throws UserError when the property is neither {@code auto} nor a positive integer
   */
  static int workersFor(int rows) {
    String v = System.getProperty(PROPERTY, "auto").trim();
    int configured;
    if (v.equalsIgnoreCase("auto")) {
      configured = JniUtils.getNumThreads();
    } else {
      try {
        configured = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        configured = 0;
      }
      if (configured < 1) {
        throw new UserError(PROPERTY + " must be 'auto' or an integer >= 1, got '" + v + "'");
      }
    }
    return Math.max(1, Math.min(configured, rows / MIN_ROWS_PER_WORKER));
  }

  /** Sets this worker thread's intra-op thread count (libtorch call only when it changes). */
  private static void useThreads(int n) {
    if (THREADS.get() != n) {
      JniUtils.setNumThreads(n);
      THREADS.set(n);
    }
  }

  /**
   * Runs every task, at most {@code workers} at a time, and waits for all of them. Each worker
   * uses {@code max(1, caller's intra-op threads / workers)} intra-op threads (1 with the default
   * worker count), so that the workers together use the caller's thread budget.
   *
   * @throws RuntimeException the first task's failure (others still finish first)
   */
  static void runAll(List<Runnable> tasks, int workers) {
    int saved = JniUtils.getNumThreads();
    int perWorker = Math.max(1, saved / workers);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int w = 0; w < Math.min(workers, tasks.size()); w++) {
        futures.add(
            POOL.submit(
                () -> {
                  useThreads(perWorker);
                  for (int i; (i = next.getAndIncrement()) < tasks.size(); ) {
                    tasks.get(i).run();
                  }
                }));
      }
      RuntimeException failure = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          futures.forEach(x -> x.cancel(true));
          throw new IllegalStateException("interrupted while decoding", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      JniUtils.setNumThreads(saved); // restores the process-wide default; the caller's own count is unchanged
    }
  }
}
