package dev.stepwise.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.DecodedBlock;
import dev.stepwise.model.KvCache;
import dev.stepwise.model.TokenChoice;
import dev.stepwise.model.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one chunk of a {@link Sampler} request: prefill of the distinct prompts (left-padded),
 * row expansion to one row per completion, then blocks of {@link #BLOCK} choose-and-decode steps
 * (one native call each, {@link CausalLM#sampleAndDecode}) until every row has finished. See
 * {@link Sampler} for the policy.
 */
final class SamplerChunk {
  /**
   * Tokens chosen per native call. Larger blocks amortise the Java/JNI round trip (about 15
   * calls) over more tokens; rows that finish inside a block waste at most BLOCK − 1 steps.
   */
  static final int BLOCK = 8;

  /** Samples {@code first .. first+count-1} of prompt {@code prompt}. */
  record Group(int prompt, int first, int count) {}

  private final CausalLM model;
  private final Tokenizer tokenizer;
  private final SamplingParams p;
  private final long seed;
  private final List<int[]> prompts;
  private final List<Group> groups;

  SamplerChunk(CausalLM model, Tokenizer tokenizer, SamplingParams p, long seed, List<int[]> prompts, List<Group> groups) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.p = p;
    this.seed = seed;
    this.prompts = prompts;
    this.groups = groups;
  }

  /** One completion being generated. */
  private final class Row {
    final int prompt;
    final int sample;
    final int limit;
    final int[] ids;
    final float[] logprobs;
    final StopMatcher stop;
    int count;
    Completion result;

    Row(int prompt, int sample, int limit) {
      this.prompt = prompt;
      this.sample = sample;
      this.limit = limit;
      this.ids = new int[limit];
      this.logprobs = new float[limit];
      this.stop = p.stop().isEmpty() ? null : new StopMatcher(tokenizer, p.stop());
    }

    /** Records one token; returns true when the row has finished. */
    boolean accept(int id, float lp) {
      ids[count] = id;
      logprobs[count] = lp;
      count++;
      if (!p.ignoreEos() && tokenizer.isStop(id)) {
        return finish(Completion.STOP, null);
      }
      if (stop != null && stop.accept(ids, count)) {
        return finish(Completion.STOP, stop.textBeforeStop());
      }
      if (count >= limit) {
        return finish(Completion.LENGTH, null);
      }
      return false;
    }

    boolean finish(String reason, String text) {
      int[] tok = Arrays.copyOf(ids, count);
      float[] lps = Arrays.copyOf(logprobs, count);
      double sum = 0;
      for (float v : lps) {
        sum += v;
      }
      result = new Completion(text != null ? text : tokenizer.decodeContinuation(tok), tok, reason, sum, lps);
      return true;
    }
  }

  /** Filled by {@link #run}. */
  SamplerStats stats;

  private long promptTokens;
  private long decoded;
  private double prefillSeconds;
  private double decodeSeconds;

  void run(Completion[][] out) {
    int ctx = model.config().nPositions();
    int u = groups.size();
    int padded = 0;
    for (Group g : groups) {
      padded = Math.max(padded, prompts.get(g.prompt).length);
    }
    int rowsTotal = groups.stream().mapToInt(Group::count).sum();
    Row[] rows = new Row[rowsTotal];
    int[] rowGroup = new int[rowsTotal];
    int maxLimit = 0;
    int r = 0;
    for (int gi = 0; gi < u; gi++) {
      Group g = groups.get(gi);
      int limit = Math.min(p.maxTokens(), ctx - prompts.get(g.prompt).length);
      maxLimit = Math.max(maxLimit, limit);
      for (int j = 0; j < g.count; j++, r++) {
        rows[r] = new Row(g.prompt, g.first + j, limit);
        rowGroup[r] = gi;
        if (limit <= 0) {
          rows[r].finish(Completion.LENGTH, null);
        }
      }
    }
    if (maxLimit > 0) {
      decode(rows, rowGroup, padded, maxLimit);
    }
    long generated = 0;
    for (Row row : rows) {
      out[row.prompt][row.sample] = row.result;
      generated += row.result.tokenIds().length;
    }
    stats = new SamplerStats(0, rows.length, promptTokens, generated, decoded, prefillSeconds, decodeSeconds);
  }

  private void decode(Row[] rows, int[] rowGroup, int padded, int maxLimit) {
    long t0 = System.nanoTime();
    int u = groups.size();
    long[] ids = new long[u * padded];
    long[] mask = new long[u * padded];
    for (int gi = 0; gi < u; gi++) {
      int[] prompt = prompts.get(groups.get(gi).prompt);
      int off = gi * padded + padded - prompt.length;
      for (int k = 0; k < prompt.length; k++) {
        ids[off + k] = prompt[k];
        mask[off + k] = 1;
      }
      promptTokens += prompt.length;
    }
    TokenChoice choice = new TokenChoice(p.greedy() || p.topK() == 1, Math.max(p.temperature(), 1e-5), p.topK(), p.topP());
    try (NDManager chunk = NDManager.newBaseManager();
        KvCache cache = model.newCache(chunk, u, padded + maxLimit)) {
      NDManager prev = chunk.newSubManager();
      NDArray logits =
          model.decodeLast(prev.create(ids, new Shape(u, padded)), prev.create(mask, new Shape(u, padded)), cache);
      if (rows.length != u) {
        cache.selectRows(rowGroup);
        logits = logits.get(prev.create(Arrays.stream(rowGroup).asLongStream().toArray()));
      }
      int[] batch = new int[rows.length]; // batch position -> row
      Arrays.setAll(batch, i -> i);
      int live = 0;
      for (Row row : rows) {
        live += row.result == null ? 1 : 0;
      }
      long t1 = System.nanoTime();
      prefillSeconds = (t1 - t0) / 1e9;
      for (int step = 0; live > 0; ) {
        int k = Math.min(BLOCK, maxLimit - step);
        float[] uni = new float[batch.length * k];
        for (int i = 0; i < batch.length; i++) {
          Row row = rows[batch[i]];
          for (int s = 0; s < k; s++) {
            uni[i * k + s] = RowRandom.uniform(seed, row.prompt, row.sample, step + s);
          }
        }
        NDManager cur = chunk.newSubManager();
        DecodedBlock block = model.sampleAndDecode(logits, cache, choice, uni, k, cur);
        decoded += (long) k * batch.length;
        int finishedInBatch = 0;
        for (int i = 0; i < batch.length; i++) {
          Row row = rows[batch[i]];
          for (int s = 0; s < k && row.result == null; s++) {
            if (row.accept((int) block.ids()[i * k + s], block.logprobs()[i * k + s])) {
              live--;
            }
          }
          finishedInBatch += row.result != null ? 1 : 0;
        }
        prev.close();
        prev = cur;
        logits = block.logits();
        step += k;
        if (live > 0 && 2 * finishedInBatch >= batch.length) {
          int[] keep = new int[batch.length - finishedInBatch];
          int[] keptRows = new int[keep.length];
          for (int i = 0, j = 0; i < batch.length; i++) {
            if (rows[batch[i]].result == null) {
              keep[j] = i;
              keptRows[j++] = batch[i];
            }
          }
          cache.selectRows(keep);
          logits = logits.get(cur.create(Arrays.stream(keep).asLongStream().toArray()));
          batch = keptRows;
        }
      }
      prev.close();
      decodeSeconds = (System.nanoTime() - t1) / 1e9;
    }
  }
}
