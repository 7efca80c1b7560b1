package dev.stepwise.reward.data;

import dev.stepwise.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tokenises a {@link LabelledResponse} segment by segment: the prompt, then the response text up
 * to the first step end, then up to the second, ... Each label goes on the last token of its
 * segment, so only step-end tokens carry labels, whatever the tokenizer (a BPE tokenizer could
 * otherwise merge a step's last character with the next step's first). For a character tokenizer
 * the ids equal those of the whole text. The text after the last labelled step is dropped
 * (causal attention: it cannot change any labelled position).
 *
 * <p>A sequence longer than {@code maxLen} loses its start (the beginning of the prompt), so the
 * labels at its end stay in the context; labels whose token falls in the cut part are dropped.
 */
public final class SegmentTokenizer {
  private SegmentTokenizer() {}

  /**
   * @param maxLen the model's context length (n_positions), &ge; 1
   * @return the example; its {@code positions} may be empty when every label was cut
   */
  public static RewardExample tokenize(LabelledResponse r, Tokenizer tok, int maxLen) {
    List<Integer> ids = new ArrayList<>();
    for (int t : tok.encode(r.prompt())) {
      ids.add(t);
    }
    int[] pos = new int[r.stepEnds().size()];
    int from = 0;
    for (int i = 0; i < pos.length; i++) {
      int end = r.stepEnds().get(i);
      for (int t : tok.encode(r.response().substring(from, end))) {
        ids.add(t);
      }
      from = end;
      pos[i] = ids.size() - 1;
    }
    int cut = Math.max(0, ids.size() - maxLen);
    int[] all = ids.stream().mapToInt(Integer::intValue).toArray();
    int[] kept = Arrays.copyOfRange(all, cut, all.length);
    List<Integer> p = new ArrayList<>();
    List<Float> tg = new ArrayList<>();
    for (int i = 0; i < pos.length; i++) {
      if (pos[i] >= cut && pos[i] >= 0 && (p.isEmpty() || pos[i] - cut > p.get(p.size() - 1))) {
        p.add(pos[i] - cut);
        tg.add(r.targets().get(i));
      }
    }
    float[] targets = new float[tg.size()];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = tg.get(i);
    }
    return new RewardExample(r.id(), kept, p.stream().mapToInt(Integer::intValue).toArray(), targets, cut > 0);
  }
}
