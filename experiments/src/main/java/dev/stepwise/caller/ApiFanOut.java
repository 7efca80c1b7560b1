package dev.stepwise.caller;

import dev.stepwise.data.JsonlAppender;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.run.StopSignals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every API job shares: sends one request per item through {@link ApiCompletions}
 * (the client bounds how many are in flight), hands each answer to the job as it arrives, and
 * appends each item that still failed after the last retry to {@code failed.jsonl} as a
 * {@link FailedItem}; a progress bar counts both. Returns once every item has finished.
 */
final class ApiFanOut {
  private static final Logger LOG = LoggerFactory.getLogger(ApiFanOut.class);

  private ApiFanOut() {}

  /**
   * Counts of one fan-out.
   *
   * @param completed items answered
   * @param failed items written to {@code failed.jsonl}
   * @param promptTokens sum of the answers' {@code usage.prompt_tokens}
   * @param completionTokens sum of the answers' {@code usage.completion_tokens}
   */
  record Outcome(long completed, long failed, long promptTokens, long completionTokens) {
    /** Adds {@code api/prompt_tokens} and {@code api/completion_tokens} to {@code summary}. */
    void putUsage(Map<String, Object> summary) {
      summary.put("api/prompt_tokens", promptTokens);
      summary.put("api/completion_tokens", completionTokens);
    }
  }

  /**
   * @param out the job's main output file
   * @param configured the configured failed file, or null
   * @return {@code configured}, or {@code failed.jsonl} beside {@code out}
   */
  static Path failedFile(Path out, String configured) {
    return configured == null ? out.toAbsolutePath().resolveSibling("failed.jsonl") : Path.of(configured);
  }

  /**
   * @param api the completions endpoint
   * @param barName the progress bar's label
   * @param items what to send, in submission order
   * @param prompt the prompt of an item
   * @param params the sampling parameters of an item
   * @param id the id an item has in {@code failed.jsonl}
   * @param onAnswer called once per answered item (from the client's threads; the sink it writes
   *     to must be thread-safe, as {@link JsonlAppender} is)
   * @param failed where failed items go
   * @return the counts
   * @throws InterruptedException when interrupted while waiting for a request slot
   */
  static <T> Outcome run(ApiCompletions api, String barName, List<T> items, Function<T, String> prompt,
      Function<T, SamplingParams> params, Function<T, String> id, BiConsumer<T, ApiCompletions.Result> onAnswer,
      JsonlAppender failed) throws InterruptedException {
    AtomicLong completed = new AtomicLong();
    AtomicLong failedCount = new AtomicLong();
    AtomicLong promptTokens = new AtomicLong();
    AtomicLong completionTokens = new AtomicLong();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    try (ProgressBar bar = new ProgressBar(barName, items.size())) {
      for (T item : items) {
        if (StopSignals.requested()) {
          break; // a stop signal: send nothing more; the requests in flight are answered and written
        }
        pending.add(api.complete(prompt.apply(item), params.apply(item)).handle((r, err) -> {
          if (err != null) {
            FailedItem f = FailedItem.of(id.apply(item), err);
            failed.append(f);
            failedCount.incrementAndGet();
            LOG.warn("{} failed: {}", f.id(), f.reason());
          } else {
            onAnswer.accept(item, r);
            completed.incrementAndGet();
            promptTokens.addAndGet(r.promptTokens());
            completionTokens.addAndGet(r.completionTokens());
          }
          bar.step();
          return null;
        }));
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }
    return new Outcome(completed.get(), failedCount.get(), promptTokens.get(), completionTokens.get());
  }
}
