package dev.stepwise.api.server;

import dev.stepwise.config.UserError;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.PromptLogprobs;
import dev.stepwise.generate.PromptScorer;
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
 * <p>Scoring: a request may also ask for its prompts' per-token log-probabilities ({@link
 * PromptScorer}, one no-grad forward); the worker scores all such prompts of a round together,
 * after the round's generation, on the same thread, so the model is never used concurrently.
 * A request may score without generating ({@code max_tokens: 0} with {@code echo}).
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

  /**
   * One request's work.
   *
   * @param prompts token ids per prompt (validated by the sampler and the scorer)
   * @param params sampling parameters (their {@code n} also sets how many choices a scoring-only
   *     request has; not used for generation when {@code generate} is false)
   * @param generate whether to generate completions
   * @param scoreTopK -1 to skip scoring; else score the prompts with this many alternatives per
   *     position (0..vocab); when &gt; 0 and generating, each prompt + completion is scored too,
   *     for the alternatives of the generated tokens
   */
  public record Work(List<int[]> prompts, SamplingParams params, boolean generate, int scoreTopK) {
    /** Copies the list (the arrays are shared: do not modify them after submitting). */
    public Work {
      prompts = List.copyOf(prompts);
    }
  }

  /**
   * @param completions per prompt {@code params.n} completions; empty lists when nothing was
   *     generated
   * @param promptLogprobs per prompt its scores, or null when scoring was not asked
   * @param sequenceLogprobs per prompt and sample the scores of prompt + completion tokens (for
   *     the generated tokens' alternatives), or null unless generating with {@code scoreTopK}
   *     &gt; 0
   */
  public record Result(
      List<List<Completion>> completions, List<PromptLogprobs> promptLogprobs, List<List<PromptLogprobs>> sequenceLogprobs) {}

  private static final class Job {
    final Work work;
    final CompletableFuture<Result> done;
    List<List<Completion>> completions;
    List<PromptLogprobs> scores;
    List<List<PromptLogprobs>> sequences;

    Job(Work work, CompletableFuture<Result> done) {
      this.work = work;
      this.done = done;
    }

    List<int[]> prompts() {
      return work.prompts();
    }
  }

  private final Sampler sampler;
  private final PromptScorer scorer;
  private final int maxBatchPrompts;
  private final long windowNanos;
  private final BlockingQueue<Job> queue;
  private final Thread worker;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong batchedRequests = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean refusing;

  /**
   * @param sampler the sampler (used by the worker thread only from now on)
   * @param maxBatchPrompts most prompts per round (&ge; 1; a single larger request still runs)
   * @param windowMs collection window after the first request, in milliseconds
   * @param maxQueued most requests waiting; beyond that {@link #submit} throws {@link Busy}
   */
  public GenerationBatcher(Sampler sampler, int maxBatchPrompts, double windowMs, int maxQueued) {
    this.sampler = sampler;
    this.scorer = new PromptScorer(sampler.model());
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
    List<int[]> ids = new ArrayList<>(prompts.size());
    for (String p : prompts) {
      ids.add(sampler.tokenizer().encode(p));
    }
    return submit(new Work(ids, params, true, -1)).thenApply(Result::completions);
  }

  /**
   * Queues generation and/or scoring of token-id prompts.
   *
   * @return completes with the result, or exceptionally with {@link UserError} (a bad prompt:
   *     too long, an id outside the vocabulary, nothing to score) or the model's failure
   * @throws Busy when {@code maxQueued} requests are already waiting
   */
  public CompletableFuture<Result> submit(Work work) {
    CompletableFuture<Result> f = new CompletableFuture<>();
    if (closed || refusing || !queue.offer(new Job(work, f))) {
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
        round.forEach(j -> j.done.completeExceptionally(new IllegalStateException("server is shutting down")));
        return;
      }
      run(round);
    }
  }

  private void run(List<Job> round) {
    Map<SamplingParams, List<Job>> groups = new LinkedHashMap<>();
    round.stream().filter(j -> j.work.generate()).forEach(j -> groups.computeIfAbsent(j.work.params(), k -> new ArrayList<>()).add(j));
    groups.values().forEach(this::generate);
    List<Job> scoring = round.stream().filter(j -> !j.done.isDone() && j.work.scoreTopK() >= 0).toList();
    if (!scoring.isEmpty()) {
      score(scoring);
    }
    List<Job> sequences = round.stream()
        .filter(j -> !j.done.isDone() && j.work.generate() && j.work.scoreTopK() > 0 && j.completions != null).toList();
    if (!sequences.isEmpty()) {
      scoreSequences(sequences);
    }
    for (Job j : round) {
      if (!j.done.isDone()) {
        List<List<Completion>> c = j.completions;
        if (c == null) {
          c = new ArrayList<>();
          for (int i = 0; i < j.prompts().size(); i++) {
            c.add(List.of());
          }
        }
        j.done.complete(new Result(c, j.scores, j.sequences));
      }
    }
  }

  /** Generates for jobs with equal parameters in one call; failed jobs are completed exceptionally. */
  private void generate(List<Job> group) {
    List<int[]> all = new ArrayList<>();
    group.forEach(j -> all.addAll(j.prompts()));
    try {
      List<List<Completion>> out = sampler.generateIds(all, group.get(0).work.params());
      calls.incrementAndGet();
      batchedRequests.addAndGet(group.size());
      int at = 0;
      for (Job j : group) {
        j.completions = out.subList(at, at + j.prompts().size());
        at += j.prompts().size();
      }
    } catch (UserError e) {
      // one bad prompt must not fail the others: retry the group's requests one by one
      if (group.size() > 1) {
        group.forEach(j -> generate(List.of(j)));
      } else {
        group.get(0).done.completeExceptionally(e);
      }
    } catch (RuntimeException | Error e) {
      LOG.error("generation failed", e);
      group.forEach(j -> j.done.completeExceptionally(e));
    }
  }

  /** Scores the jobs' prompts in one scorer call (the largest top-k asked, cut per job). */
  private void score(List<Job> jobs) {
    List<int[]> all = new ArrayList<>();
    int k = 0;
    for (Job j : jobs) {
      all.addAll(j.prompts());
      k = Math.max(k, j.work.scoreTopK());
    }
    try {
      List<PromptLogprobs> out = scorer.score(all, k);
      int at = 0;
      for (Job j : jobs) {
        List<PromptLogprobs> mine = out.subList(at, at + j.prompts().size());
        int kk = j.work.scoreTopK();
        j.scores = kk == k ? mine : mine.stream().map(p -> p.withTopK(kk)).toList();
        at += j.prompts().size();
      }
    } catch (UserError e) {
      if (jobs.size() > 1) {
        jobs.forEach(j -> score(List.of(j)));
      } else {
        jobs.get(0).done.completeExceptionally(e);
      }
    } catch (RuntimeException | Error e) {
      LOG.error("scoring failed", e);
      jobs.forEach(j -> j.done.completeExceptionally(e));
    }
  }

  /** Scores every prompt + completion of the jobs in one scorer call (the alternatives of generated tokens). */
  private void scoreSequences(List<Job> jobs) {
    List<int[]> all = new ArrayList<>();
    int k = 0;
    for (Job j : jobs) {
      for (int i = 0; i < j.prompts().size(); i++) {
        int[] p = j.prompts().get(i).length == 0 ? new int[] {sampler.tokenizer().eosId()} : j.prompts().get(i);
        for (Completion c : j.completions.get(i)) {
          int[] seq = java.util.Arrays.copyOf(p, p.length + c.tokenIds().length);
          System.arraycopy(c.tokenIds(), 0, seq, p.length, c.tokenIds().length);
          all.add(seq);
        }
      }
      k = Math.max(k, j.work.scoreTopK());
    }
    try {
      List<PromptLogprobs> out = scorer.score(all, k);
      int at = 0;
      for (Job j : jobs) {
        List<List<PromptLogprobs>> mine = new ArrayList<>();
        for (List<Completion> perPrompt : j.completions) {
          List<PromptLogprobs> row = new ArrayList<>();
          for (int s = 0; s < perPrompt.size(); s++) {
            PromptLogprobs lp = out.get(at++);
            row.add(j.work.scoreTopK() == k ? lp : lp.withTopK(j.work.scoreTopK()));
          }
          mine.add(row);
        }
        j.sequences = mine;
      }
    } catch (RuntimeException | Error e) {
      LOG.error("scoring generated tokens failed", e);
      jobs.forEach(j -> j.done.completeExceptionally(e));
    }
  }

  /**
   * Refuses new work from now on ({@link #submit} throws {@link Busy}); the worker still runs
   * everything already queued (a server draining before it stops).
   */
  public void refuse() {
    refusing = true;
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
      j.done.completeExceptionally(new IllegalStateException("server is shutting down"));
    }
  }
}
