package dev.stepwise.preference.data;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.sft.SftBatch;
import dev.stepwise.sft.SftData;
import dev.stepwise.sft.SftExample;
import dev.stepwise.train.TrainData;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tokenised preference pairs. Each pair becomes two {@link SftExample}s with the same prompt ids:
 * prompt + chosen and prompt + rejected (the rejected followed by EOS when the pair is full, the
 * chosen when {@link PreferencePair#chosenEnds()}), truncated to
 * the context length as {@link SftData} does (the prompt's start is kept). Pairs whose prompt
 * leaves no completion token inside the context are dropped ({@link #dropped()}).
 *
 * <p>Micro-batches are collated by {@link SftData} over the indices {@code [i_1..i_B,
 * N+i_1..N+i_B]}, so the masking (prompt and padding excluded from the loss) is exactly SFT's.
 * When reference log-probabilities are attached ({@link #withReference}), each batch carries its
 * pairs' values.
 */
public final class PairData implements TrainData<PairBatch> {
  private final SftData sequences;
  private final int n;
  private final int dropped;
  private final int maxLen;
  private float[] refChosen;
  private float[] refRejected;

  private PairData(int n, SftData sequences, int dropped, int maxLen) {
    this.sequences = sequences;
    this.n = n;
    this.dropped = dropped;
    this.maxLen = maxLen;
  }

  /**
   * Tokenises pairs.
   *
   * @param pairs the pairs, in order
   * @param tok the policy's tokenizer
   * @param maxLen the model's context length (positions per sequence)
   * @return the data (pairs that do not fit are dropped)
   * @throws IllegalArgumentException when no pair fits
   */
  public static PairData of(List<PreferencePair> pairs, Tokenizer tok, int maxLen) {
    List<PreferencePair> kept = new ArrayList<>();
    List<SftExample> chosen = new ArrayList<>();
    List<SftExample> rejected = new ArrayList<>();
    for (PreferencePair p : pairs) {
      int[] prompt = tok.encodePrompt(p.prompt());
      if (prompt.length >= maxLen) {
        continue;
      }
      kept.add(p);
      chosen.add(new SftExample(prompt, completion(tok, p.chosen(), p.chosenEnds())));
      rejected.add(new SftExample(prompt, completion(tok, p.rejected(), p.full())));
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("no preference pair fits the context length " + maxLen);
    }
    PairData d = ofExamples(chosen, rejected, maxLen, tok.padId());
    return new PairData(d.n, d.sequences, pairs.size() - kept.size(), maxLen);
  }

  /**
   * Pairs already tokenised (benchmarks, tests): pair i is {@code chosen.get(i)} vs {@code
   * rejected.get(i)}, which must share their prompt ids.
   *
   * @param maxLen the context length
   * @param padId the pad id
   * @throws IllegalArgumentException when the lists are empty, differ in length, or a pair's
   *     prompts differ
   */
  public static PairData ofExamples(List<SftExample> chosen, List<SftExample> rejected, int maxLen, int padId) {
    if (chosen.isEmpty() || chosen.size() != rejected.size()) {
      throw new IllegalArgumentException(chosen.size() + " chosen vs " + rejected.size() + " rejected examples");
    }
    for (int i = 0; i < chosen.size(); i++) {
      if (!Arrays.equals(chosen.get(i).promptIds(), rejected.get(i).promptIds())) {
        throw new IllegalArgumentException("pair " + i + ": chosen and rejected prompts differ");
      }
    }
    List<SftExample> all = new ArrayList<>(chosen);
    all.addAll(rejected);
    return new PairData(chosen.size(), new SftData(all, maxLen, padId), 0, maxLen);
  }

  private static int[] completion(Tokenizer tok, String text, boolean eos) {
    int[] ids = tok.encode(text);
    if (!eos) {
      return ids;
    }
    int[] out = Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = tok.eosId();
    return out;
  }

  /** @return pairs skipped because the prompt alone fills the context */
  public int dropped() {
    return dropped;
  }

  @Override
  public int size() {
    return n;
  }

  /**
   * Attaches reference log-probabilities; later batches carry them and the objective skips the
   * reference forward.
   *
   * @param chosen length {@link #size()}, log π_ref(chosen_i | prompt_i)
   * @param rejected length {@link #size()}
   * @return this
   */
  public PairData withReference(float[] chosen, float[] rejected) {
    if (chosen.length != n || rejected.length != n) {
      throw new IllegalArgumentException("reference log-probs for " + chosen.length + "/" + rejected.length + " pairs, data has " + n);
    }
    this.refChosen = chosen.clone();
    this.refRejected = rejected.clone();
    return this;
  }

  /** @return true when reference log-probabilities are attached */
  public boolean hasReference() {
    return refChosen != null;
  }

  @Override
  public PairBatch collate(int[] indices, NDManager step) {
    int b = indices.length;
    int[] rows = new int[2 * b];
    for (int i = 0; i < b; i++) {
      rows[i] = indices[i];
      rows[b + i] = n + indices[i];
    }
    SftBatch seqs = sequences.collate(rows, step);
    if (refChosen == null) {
      return new PairBatch(seqs, indices.clone(), null, null);
    }
    float[] c = new float[b];
    float[] r = new float[b];
    for (int i = 0; i < b; i++) {
      c[i] = refChosen[indices[i]];
      r[i] = refRejected[indices[i]];
    }
    return new PairBatch(seqs, indices.clone(), step.create(c), step.create(r));
  }

  /**
   * Feeds everything the reference log-probabilities depend on from the data's side (the context
   * length and every pair's token ids, in order) into {@code md}: the cache key of {@code
   * ReferenceCache}.
   */
  public void digest(MessageDigest md) {
    md.update(ByteBuffer.allocate(8).putInt(maxLen).putInt(n).array());
    for (int i = 0; i < 2 * n; i++) {
      SftExample e = sequences.get(i);
      digestInts(md, e.promptIds());
      digestInts(md, e.completionIds());
    }
  }

  private static void digestInts(MessageDigest md, int[] ids) {
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 * ids.length).putInt(ids.length);
    for (int id : ids) {
      buf.putInt(id);
    }
    md.update(buf.array());
  }
}
