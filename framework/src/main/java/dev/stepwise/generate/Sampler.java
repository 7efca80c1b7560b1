package dev.stepwise.generate;

import dev.stepwise.config.UserError;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Tokenizer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Batched text generation with a KV cache (what vLLM's {@code LLM.generate} does for Stepwise's
 * small models).
 *
 * <p>Work is split into chunks of at most {@code maxBatchSize} completions. Prompts are sorted by
 * length first so that a chunk's prompts need little padding. In a chunk, each distinct prompt is
 * left-padded and prefilled once; its cache rows are then repeated for its {@code n} completions.
 * Tokens are then chosen and decoded on the device in blocks of several steps per native call
 * ({@link CausalLM#sampleAndDecode}); the host only reads the chosen ids and log-probabilities
 * to track stop conditions (a row that stops inside a block ignores the rest of the block). When
 * at least half of a chunk's rows have finished, the finished rows are dropped from the cache so
 * they stop costing compute.
 *
 * <p>Randomness: row (prompt i, sample j) at step t uses the uniform number {@code
 * RowRandom.uniform(seed, i, j, t)}, so results are reproducible for a given seed, whatever the
 * chunking (up to floating-point differences between batch compositions).
 *
 * <p>Prompts: token ids from {@link Tokenizer#encode}; an empty prompt is replaced by the EOS id
 * (GPT-2 uses its end-of-text token as beginning of text). A prompt longer than the context
 * length {@code n_positions} is a {@link UserError}; a prompt of exactly that length yields an
 * empty completion with finish reason "length".
 *
 * <p>Parallelism: when a call has at least {@code 2 × DecodeWorkers.MIN_ROWS_PER_WORKER}
 * completions, its rows are split into equal chunks decoded concurrently by {@link
 * DecodeWorkers} (as many chunks as workers, or chunks of {@link
 * dev.stepwise.model.CausalLM#preferredChunkRows()} rows when the model prefers smaller ones,
 * taken by the workers in turn; by default one intra-op thread each; their number is {@code stepwise.sampler.workers},
 * default the caller's {@code ai.djl.pytorch.num_threads}); with one worker, chunks run one
 * after another on the calling thread. The tokens do not depend on this (per-row randomness; up
 * to floating-point differences between batch compositions). A prompt whose {@code n} samples
 * are split between two chunks is prefilled once in each.
 *
 * <p>Not thread-safe per instance (use one sampler per thread). Decoding never records autograd,
 * and always sees the current parameter values (an optimizer may update them between calls).
 */
public final class Sampler {
  /** Default chunk size in completions. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 64;

  private final CausalLM model;
  private final Tokenizer tokenizer;
  private final int maxBatchSize;
  private SamplerStats lastStats;

  /** A sampler with {@link #DEFAULT_MAX_BATCH_SIZE}. */
  public Sampler(CausalLM model, Tokenizer tokenizer) {
    this(model, tokenizer, DEFAULT_MAX_BATCH_SIZE);
  }

  /**
   * @param model the language model (its vocabulary must cover the tokenizer's ids)
   * @param tokenizer encodes prompts and decodes completions
   * @param maxBatchSize most completions decoded together (config key {@code max_batch_size})
   * @throws UserError when maxBatchSize &lt; 1
   */
  public Sampler(CausalLM model, Tokenizer tokenizer, int maxBatchSize) {
    if (maxBatchSize < 1) {
      throw new UserError("max_batch_size must be >= 1, got " + maxBatchSize);
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.maxBatchSize = maxBatchSize;
  }

  /** @return the model this sampler decodes (for work that must run on the sampler's thread, e.g. {@link PromptScorer}) */
  public CausalLM model() {
    return model;
  }

  /** @return the tokenizer that encodes prompts and decodes completions */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Generates {@code p.n()} completions for every prompt.
   *
   * @return one list per prompt (same order), each with {@code p.n()} completions in sample order
   * @throws UserError when a prompt does not fit the context length
   */
  public List<List<Completion>> generate(List<String> prompts, SamplingParams p) {
    List<int[]> ids = new ArrayList<>(prompts.size());
    for (String s : prompts) {
      ids.add(tokenizer.encodePrompt(s));
    }
    return generateIds(ids, p);
  }

  /**
   * As {@link #generate} but from token ids.
   *
   * @param prompts token ids in [0, vocab_size) per prompt
   * @throws UserError when an id is out of range or a prompt is longer than {@code n_positions}
   */
  public List<List<Completion>> generateIds(List<int[]> prompts, SamplingParams p) {
    int ctx = model.config().nPositions();
    int vocab = model.config().vocabSize();
    List<int[]> clean = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      int[] ids = prompts.get(i).length == 0 ? new int[] {tokenizer.eosId()} : prompts.get(i);
      if (ids.length > ctx) {
        throw new UserError(
            "prompt " + i + " has " + ids.length + " tokens, more than the model's context length n_positions="
                + ctx);
      }
      for (int id : ids) {
        if (id < 0 || id >= vocab) {
          throw new UserError("prompt " + i + " contains token id " + id + " outside [0, " + vocab + ")");
        }
      }
      clean.add(ids);
    }
    long seed = p.seed() != null ? p.seed() : new SecureRandom().nextLong();
    Completion[][] out = new Completion[prompts.size()][p.n()];
    SamplerStats stats = new SamplerStats(prompts.size(), 0, 0, 0, 0, 0, 0);
    int rows = clean.size() * p.n();
    int workers = DecodeWorkers.workersFor(rows);
    if (workers <= 1) {
      for (List<SamplerChunk.Group> chunk : plan(clean, p.n(), maxBatchSize)) {
        SamplerChunk c = new SamplerChunk(model, tokenizer, p, seed, clean, chunk);
        c.run(out);
        stats = stats.plus(c.stats);
      }
    } else {
      // a multiple of `workers` chunks of equal size (at most maxBatchSize rows, or the model's
      // preferred chunk size), run concurrently; workers take the next chunk when one is done
      int chunkRows = Math.min(maxBatchSize, model.preferredChunkRows());
      int chunks = workers * ((rows + workers * chunkRows - 1) / (workers * chunkRows));
      List<SamplerChunk> cs = new ArrayList<>();
      List<Runnable> tasks = new ArrayList<>();
      for (List<SamplerChunk.Group> chunk : plan(clean, p.n(), (rows + chunks - 1) / chunks)) {
        SamplerChunk c = new SamplerChunk(model, tokenizer, p, seed, clean, chunk);
        cs.add(c);
        tasks.add(() -> c.run(out));
      }
      long t0 = System.nanoTime();
      DecodeWorkers.runAll(tasks, workers);
      for (SamplerChunk c : cs) {
        stats = stats.plus(c.stats);
      }
      stats = stats.withWallSeconds((System.nanoTime() - t0) / 1e9);
    }
    lastStats = stats;
    List<List<Completion>> result = new ArrayList<>(out.length);
    for (Completion[] c : out) {
      result.add(List.of(c));
    }
    return result;
  }

  /** @return timing of the last {@link #generateIds} (or {@link #generate}) call, or null */
  public SamplerStats lastStats() {
    return lastStats;
  }

  /** Groups of (prompt, samples) in chunks of at most maxBatchSize rows, longest prompts first. */
  private static List<List<SamplerChunk.Group>> plan(List<int[]> prompts, int n, int maxBatchSize) {
    Integer[] order = new Integer[prompts.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -prompts.get(i).length).thenComparingInt(i -> i));
    List<List<SamplerChunk.Group>> chunks = new ArrayList<>();
    List<SamplerChunk.Group> current = new ArrayList<>();
    int rows = 0;
    for (int i : order) {
      for (int first = 0; first < n; first += maxBatchSize) {
        int count = Math.min(maxBatchSize, n - first);
        if (rows + count > maxBatchSize) {
          chunks.add(current);
          current = new ArrayList<>();
          rows = 0;
        }
        current.add(new SamplerChunk.Group(i, first, count));
        rows += count;
      }
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }
}
