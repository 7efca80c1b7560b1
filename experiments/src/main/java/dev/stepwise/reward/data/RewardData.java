package dev.stepwise.reward.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.train.TrainData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tokenised reward examples collated into right-padded {@link RewardBatch}es. */
public final class RewardData implements TrainData<RewardBatch> {
  private final List<RewardExample> examples;
  private final int padId;
  private final int k;

  /**
   * @param examples at least one, each with at least one label
   * @param padId the tokenizer's pad id
   * @param numClasses logits of the head: 1 (scalar) or k+1; classes are {@code round(target·k)}
   */
  public RewardData(List<RewardExample> examples, int padId, int numClasses) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no reward examples");
    }
    this.examples = List.copyOf(examples);
    this.padId = padId;
    this.k = Math.max(1, numClasses - 1);
  }

  /**
   * Tokenises responses ({@link SegmentTokenizer}) and drops those left without a label.
   *
   * @param maxLen the context length
   * @return the data, or null when no response keeps a label
   */
  public static RewardData of(List<LabelledResponse> responses, Tokenizer tok, int maxLen, int numClasses) {
    List<RewardExample> ex = new ArrayList<>();
    for (LabelledResponse r : responses) {
      RewardExample e = SegmentTokenizer.tokenize(r, tok, maxLen);
      if (e.positions().length > 0) {
        ex.add(e);
      }
    }
    return ex.isEmpty() ? null : new RewardData(ex, tok.padId(), numClasses);
  }

  @Override
  public int size() {
    return examples.size();
  }

  /** @return the example at {@code i} */
  public RewardExample get(int i) {
    return examples.get(i);
  }

  /** @return how many examples lost their start to the context length */
  public int truncated() {
    return (int) examples.stream().filter(RewardExample::truncated).count();
  }

  /** @return the number of labelled positions over all examples */
  public int labels() {
    return examples.stream().mapToInt(e -> e.positions().length).sum();
  }

  @Override
  public RewardBatch collate(int[] indices, NDManager step) {
    int b = indices.length;
    int t = 1;
    for (int i : indices) {
      t = Math.max(t, examples.get(i).ids().length);
    }
    long[] ids = new long[b * t];
    long[] attn = new long[b * t];
    float[] mask = new float[b * t];
    float[] target = new float[b * t];
    long[] cls = new long[b * t];
    Arrays.fill(ids, padId);
    for (int r = 0; r < b; r++) {
      RewardExample e = examples.get(indices[r]);
      for (int j = 0; j < e.ids().length; j++) {
        ids[r * t + j] = e.ids()[j];
        attn[r * t + j] = 1;
      }
      for (int j = 0; j < e.positions().length; j++) {
        int at = r * t + e.positions()[j];
        mask[at] = 1f;
        target[at] = e.targets()[j];
        cls[at] = Math.round(e.targets()[j] * k);
      }
    }
    Shape s = new Shape(b, t);
    return new RewardBatch(step.create(ids, s), step.create(attn, s), step.create(mask, s), step.create(target, s), step.create(cls, s));
  }
}
