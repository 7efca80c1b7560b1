package dev.stepwise.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean ...?" suggestions shared by every user-facing config message.
 *
 * <p>Distance is the optimal-string-alignment form of the Damerau-Levenshtein distance
 * (insertions, deletions, substitutions and transpositions of two adjacent characters each
 * cost 1), computed case-insensitively. A candidate is suggested when its distance to the word
 * is at most {@code max(1, min(4, (len + 1) / 3))}, where {@code len} is the word's length, so
 * short words need a near-exact match and long keys tolerate a few typos.
 */
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * @return the case-insensitive optimal-string-alignment distance between {@code a} and
   *     {@code b}, in edits (0 when equal ignoring case)
   */
  public static int distance(String a, String b) {
    String s = a.toLowerCase(Locale.ROOT);
    String t = b.toLowerCase(Locale.ROOT);
    int n = s.length();
    int m = t.length();
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) d[i][0] = i;
    for (int j = 0; j <= m; j++) d[0][j] = j;
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
        int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && s.charAt(i - 1) == t.charAt(j - 2) && s.charAt(i - 2) == t.charAt(j - 1)) {
          best = Math.min(best, d[i - 2][j - 2] + 1);
        }
        d[i][j] = best;
      }
    }
    return d[n][m];
  }

  /**
   * @param word the misspelt word, e.g. {@code "trainer.max_stepz"}
   * @param candidates the valid words
   * @return the closest candidate within the threshold (ties broken by candidate order), or
   *     empty when none is close enough or the word itself is a candidate
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    int limit = Math.max(1, Math.min(4, (word.length() + 1) / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best == null || bestDistance > limit || best.equals(word)) return Optional.empty();
    return Optional.of(best);
  }

  /**
   * @return {@code " Did you mean 'x'?"} for the closest candidate, or {@code ""} when none is
   *     close; meant to be appended to a sentence that ends with a period
   */
  public static String hint(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> " Did you mean '" + c + "'?").orElse("");
  }
}
