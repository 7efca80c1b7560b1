package dev.stepwise.search.omega;

/**
 * Text similarity for deduplicating augmentation rows: 1 − d / max(|a|, |b|) with d the
 * Levenshtein distance over characters (two empty texts are identical). Chosen because it is
 * symmetric, in [0, 1], and at the 0.85 threshold it treats texts that differ by a few characters
 * in a long step (a changed number or word) as the same row, which is what deduplication of
 * sampled steps should catch; a token-set measure would miss number changes inside a word. The
 * check runs in O(|a| · band) with band = the largest distance that still passes.
 */
public final class Similarity {
  private Similarity() {}

  /** @return true when the similarity of a and b is at least {@code threshold} in [0, 1] */
  public static boolean atLeast(String a, String b, double threshold) {
    int m = Math.max(a.length(), b.length());
    if (m == 0) {
      return true;
    }
    int maxD = (int) Math.floor((1 - threshold) * m + 1e-9);
    if (Math.abs(a.length() - b.length()) > maxD) {
      return false;
    }
    return distanceAtMost(a, b, maxD) <= maxD;
  }

  /** @return the similarity 1 − d / max length (exact; O(|a| · |b|)) */
  public static double ratio(String a, String b) {
    int m = Math.max(a.length(), b.length());
    return m == 0 ? 1 : 1 - distanceAtMost(a, b, m) / (double) m;
  }

  /** Banded Levenshtein distance: exact when ≤ band, else some value > band. */
  static int distanceAtMost(String a, String b, int band) {
    int n = a.length();
    int k = b.length();
    int big = band + 1;
    int[] prev = new int[k + 1];
    int[] cur = new int[k + 1];
    for (int j = 0; j <= k; j++) {
      prev[j] = j <= band ? j : big;
    }
    for (int i = 1; i <= n; i++) {
      int lo = Math.max(1, i - band);
      int hi = Math.min(k, i + band);
      java.util.Arrays.fill(cur, big);
      cur[0] = i <= band ? i : big;
      int rowMin = cur[0];
      for (int j = lo; j <= hi; j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        int v = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
        cur[j] = Math.min(v, big);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > band) {
        return big;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[k];
  }
}
