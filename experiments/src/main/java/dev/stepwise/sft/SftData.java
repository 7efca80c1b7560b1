package dev.stepwise.sft;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.train.TrainData;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SFT examples collated into right-padded batches. A sequence is prompt + completion (with its
 * EOS), truncated to {@code maxLen + 1} tokens; inputs are its first {@code n-1} tokens and
 * labels its last {@code n-1} (next-token prediction). Only labels that are completion tokens
 * count in the loss (TRL's completion-only loss).
 */
public final class SftData implements TrainData<SftBatch> {
  private final List<SftExample> examples;
  private final int maxLen;
  private final int padId;

  /**
   * @param examples the examples, at least one
   * @param maxLen the model's context length (positions per sequence)
   * @param padId the tokenizer's pad id
   */
  public SftData(List<SftExample> examples, int maxLen, int padId) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no SFT examples");
    }
    this.examples = List.copyOf(examples);
    this.maxLen = maxLen;
    this.padId = padId;
  }

  /**
   * Tokenises a task's problems: prompt = {@code task.prompt(p)}, completion = {@code
   * task.target(p)} followed by EOS.
   *
   * @param maxLen the model's context length
   * @return the data; {@link #truncated()} counts examples longer than {@code maxLen + 1}
   */
  public static SftData of(Task task, List<Problem> problems, Tokenizer tok, int maxLen) {
    List<SftExample> ex = new ArrayList<>(problems.size());
    for (Problem p : problems) {
      int[] target = tok.encode(task.target(p));
      int[] completion = Arrays.copyOf(target, target.length + 1);
      completion[target.length] = tok.eosId();
      ex.add(new SftExample(tok.encodePrompt(task.prompt(p)), completion));
    }
    return new SftData(ex, maxLen, tok.padId());
  }

  /** @return how many examples exceed the context and lose their tail */
  public int truncated() {
    int n = 0;
    for (SftExample e : examples) {
      if (e.promptIds().length + e.completionIds().length - 1 > maxLen) {
        n++;
      }
    }
    return n;
  }

  @Override
  public int size() {
    return examples.size();
  }

  /** @return the tokens example {@code i} occupies in a batch (inputs: prompt + completion − 1, at most the context) */
  @Override
  public int length(int i) {
    SftExample e = examples.get(i);
    return Math.min(maxLen, e.promptIds().length + e.completionIds().length - 1);
  }

  /** @return the example at {@code i} */
  public SftExample get(int i) {
    return examples.get(i);
  }

  @Override
  public SftBatch collate(int[] indices, NDManager step) {
    int b = indices.length;
    int t = 1;
    for (int i : indices) {
      SftExample e = examples.get(i);
      t = Math.max(t, Math.min(maxLen, e.promptIds().length + e.completionIds().length - 1));
    }
    long[] ids = new long[b * t];
    long[] attn = new long[b * t];
    long[] labels = new long[b * t];
    float[] mask = new float[b * t];
    Arrays.fill(ids, padId);
    for (int r = 0; r < b; r++) {
      SftExample e = examples.get(indices[r]);
      int p = e.promptIds().length;
      int n = Math.min(t + 1, p + e.completionIds().length);
      for (int k = 0; k < n; k++) {
        int tok = k < p ? e.promptIds()[k] : e.completionIds()[k - p];
        if (k < n - 1 && k < t) {
          ids[r * t + k] = tok;
          attn[r * t + k] = 1;
        }
        if (k >= 1) {
          labels[r * t + k - 1] = tok;
          mask[r * t + k - 1] = k >= p ? 1f : 0f;
        }
      }
    }
    Shape s = new Shape(b, t);
    return new SftBatch(step.create(ids, s), step.create(attn, s), step.create(labels, s), step.create(mask, s));
  }
}
