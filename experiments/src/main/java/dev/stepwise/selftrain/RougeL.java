package dev.stepwise.selftrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ROUGE-L (Lin 2004): the longest common subsequence of two token sequences, as the F-measure
 * {@code 2 P R / (P + R)} with {@code P = LCS / |candidate|} and {@code R = LCS / |reference|}
 * (so it is symmetric), in [0, 1]; 0 when either side has no token. Tokens follow the {@code
 * rouge_score} package's default tokenizer without stemming (what Self-Instruct uses):
 * lower-cased, every character outside {@code [a-z0-9]} a separator.
 */
public final class RougeL {
  private RougeL() {}

  /** @return the lower-cased {@code [a-z0-9]+} runs of {@code text}, in order */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    for (String t : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** @return the length of the longest common subsequence; O(|a| |b|) time, O(min) memory */
  public static int lcs(List<String> a, List<String> b) {
    if (a.size() < b.size()) {
      List<String> t = a;
      a = b;
      b = t;
    }
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (String x : a) {
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = x.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }

  /** @return ROUGE-L F-measure of two token lists, in [0, 1] */
  public static double fmeasure(List<String> candidate, List<String> reference) {
    if (candidate.isEmpty() || reference.isEmpty()) {
      return 0.0;
    }
    int l = lcs(candidate, reference);
    if (l == 0) {
      return 0.0;
    }
    double p = (double) l / candidate.size();
    double r = (double) l / reference.size();
    return 2 * p * r / (p + r);
  }

  /** @return ROUGE-L F-measure of two texts (tokenised by {@link #tokens}) */
  public static double fmeasure(String candidate, String reference) {
    return fmeasure(tokens(candidate), tokens(reference));
  }
}
