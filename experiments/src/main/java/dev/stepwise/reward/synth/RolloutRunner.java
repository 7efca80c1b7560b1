package dev.stepwise.reward.synth;

import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls out states in batches and appends their labelled records, resumably.
 *
 * <p><b>Batches.</b> The states are cut into batches of {@code batchSize} at fixed positions of
 * the input list (states {@code [b*batchSize, (b+1)*batchSize)}); batch {@code b} is one {@link
 * Sampler#generate} call on the prompts {@code prompt + state} with {@code n = k}, so each state is
 * prefilled once and its KV-cache rows repeated for its {@code k} rollouts. Batch {@code b} uses
 * the seed {@code seed + b * 0x9E3779B97F4A7C15} (no seed: random), so different batches draw
 * different random streams.
 *
 * <p><b>Resume.</b> Records whose (id, resp_id, step_id) is already in the output are never
 * written again. A batch with any record missing is generated again in full (same prompts, same
 * seed: the same completions as an uninterrupted run, up to floating-point nondeterminism of the
 * engine) and only its missing records are appended, each flushed as it is written.
 *
 * <p>A state whose prompt leaves no room to generate within the model's context ({@code
 * n_positions}) is skipped with a warning and counted in {@link Result#skipped()}.
 *
 * <p><b>Dropped states.</b> A state with an empty rollout gets no label ({@link McLabels#inter},
 * the reference's rule); its state record goes to {@link #droppedFile} beside the output (created
 * on the first drop) so that a re-run counts it as done, and it is counted in {@link
 * Result#dropped()} and logged.
 */
public final class RolloutRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRunner.class);

  /**
   * What a run did.
   *
   * @param generated states rolled out in this run
   * @param skipped states skipped because their prompt fills the context
   * @param fullWritten full records written in this run
   * @param seconds wall time of the generation loop, in seconds
   * @param dropped states rolled out in this run but left unlabelled (an empty rollout)
   * @param noAnswer rollouts of this run's labelled states without an answer (counted wrong)
   */
  public record Result(int generated, int skipped, int fullWritten, double seconds, int dropped, int noAnswer) {
    /** @return states rolled out per second of the generation loop (0 when none) */
    public double statesPerSecond() {
      return generated == 0 ? 0 : generated / Math.max(seconds, 1e-9);
    }
  }

  private final Sampler sampler;
  private final Tokenizer tokenizer;
  private final int contextLength;
  private final Task task;
  private final SamplingParams params;
  private final int batchSize;

  /**
   * @param sampler the sampler over the policy (its max batch should hold {@code batchSize * k}
   *     rows)
   * @param tokenizer the policy's tokenizer (to measure prompts)
   * @param contextLength the policy's {@code n_positions}
   * @param task the answer check
   * @param params the sampling parameters; {@code n} is {@code k}
   * @param batchSize states per sampler call, at least 1
   */
  public RolloutRunner(Sampler sampler, Tokenizer tokenizer, int contextLength, Task task, SamplingParams params, int batchSize) {
    this.sampler = sampler;
    this.tokenizer = tokenizer;
    this.contextLength = contextLength;
    this.task = task;
    this.params = params;
    this.batchSize = Math.max(1, batchSize);
  }

  /**
   * @return the resume keys of the records in {@code file} and in its {@link #droppedFile} (empty
   *     when neither exists)
   */
  public static Set<String> doneKeys(Path file) {
    Set<String> keys = new HashSet<>();
    for (Path f : List.of(file, droppedFile(file))) {
      if (Files.exists(f)) {
        try (JsonlReader r = JsonlReader.open(f)) {
          while (r.hasNext()) {
            keys.add(r.bind(r.next(), StateRecord.class).key());
          }
        }
      }
    }
    return keys;
  }

  /**
   * @param output a rollouts file, {@code <stem>.jsonl}
   * @return {@code <stem>.dropped.jsonl} beside it: the states left unlabelled because a rollout
   *     was empty ({@link StateRecord}s)
   */
  public static Path droppedFile(Path output) {
    String name = output.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    return output.resolveSibling(stem + ".dropped.jsonl");
  }

  /** @return the number of lines of {@code output}'s {@link #droppedFile} (0 when absent) */
  public static int droppedCount(Path output) {
    Path f = droppedFile(output);
    return Files.exists(f) ? JsonlReader.readAll(f, StateRecord.class).size() : 0;
  }

  /**
   * Appends the labelled record of {@code s}, or {@code s} itself to the dropped file when a
   * rollout is empty (opened on first use into {@code dropped[0]}).
   *
   * @return -1 when dropped, else the number of rollouts without an answer
   */
  public static int label(StateRecord s, List<String> texts, Task task, JsonlAppender sink, JsonlAppender[] dropped) {
    var rec = McLabels.inter(s, texts, task);
    if (rec.isEmpty()) {
      if (dropped[0] == null) {
        dropped[0] = JsonlAppender.open(droppedFile(sink.file()));
      }
      dropped[0].append(s);
      return -1;
    }
    sink.append(rec.get());
    return McLabels.noAnswerRollouts(rec.get(), task);
  }

  /**
   * Appends the missing {@code full} records, then rolls out the states whose records are missing.
   *
   * @param states the states, in input order (batch positions depend on this order)
   * @param full the full records to add (already labelled)
   * @param sink the opened output (its tail already repaired)
   * @param progress called with the number of states of each finished batch
   */
  public Result run(List<StateRecord> states, List<RolloutRecord> full, JsonlAppender sink, IntConsumer progress) {
    Set<String> done = doneKeys(sink.file());
    int fullWritten = 0;
    for (RolloutRecord f : full) {
      if (done.add(f.key())) {
        sink.append(f);
        fullWritten++;
      }
    }
    int generated = 0;
    int skipped = 0;
    int dropped = 0;
    int noAnswer = 0;
    JsonlAppender[] droppedSink = new JsonlAppender[1];
    long t0 = System.nanoTime();
    try {
      for (int from = 0, b = 0; from < states.size(); from += batchSize, b++) {
        List<StateRecord> batch = states.subList(from, Math.min(states.size(), from + batchSize));
        if (batch.stream().allMatch(s -> done.contains(s.key()))) {
          progress.accept(batch.size());
          continue;
        }
        List<StateRecord> fitting = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (StateRecord s : batch) {
          String prompt = s.prompt() + s.state();
          if (tokenizer.encodePrompt(prompt).length < contextLength) {
            fitting.add(s);
            prompts.add(prompt);
          } else if (!done.contains(s.key())) {
            skipped++;
            LOG.warn("state {} / resp {} / step {}: prompt fills the context length {}; skipped", s.id(), s.respId(), s.stepId(), contextLength);
          }
        }
        if (!prompts.isEmpty()) {
          sink.stopPoint();
          SamplingParams p = params.seed() == null ? params : params.withSeed(params.seed() + b * 0x9E3779B97F4A7C15L);
          List<List<Completion>> outs = sampler.generate(prompts, p);
          for (int i = 0; i < fitting.size(); i++) {
            StateRecord s = fitting.get(i);
            if (done.add(s.key())) {
              List<String> texts = outs.get(i).stream().map(Completion::text).toList();
              int n = label(s, texts, task, sink, droppedSink);
              if (n < 0) {
                dropped++;
              } else {
                noAnswer += n;
              }
              generated++;
            }
          }
        }
        progress.accept(batch.size());
      }
    } finally {
      if (droppedSink[0] != null) {
        droppedSink[0].close();
      }
    }
    if (generated > 0) {
      LOG.info("Labelled {} of {} states rolled out in this run; dropped {} with an empty rollout (into {}); {} rollouts had no answer"
          + " (counted wrong)", generated - dropped, generated, dropped, droppedFile(sink.file()), noAnswer);
    }
    return new Result(generated, skipped, fullWritten, (System.nanoTime() - t0) / 1e9, dropped, noAnswer);
  }
}
