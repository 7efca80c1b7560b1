package dev.stepwise.preference.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Holds out pairs by problem id, so no problem has pairs on both sides (pairs of one problem
 * share prompts and responses, and would leak).
 *
 * @param train the training pairs, in file order
 * @param eval the held-out pairs, in file order
 */
public record PairSplit(List<PreferencePair> train, List<PreferencePair> eval) {
  /**
   * @param pairs all pairs
   * @param fraction share of the distinct problem ids held out, in [0, 1); the count is rounded
   *     up, so any fraction &gt; 0 holds out at least one problem — but never all of them
   * @param seed seeds the shuffle of the distinct ids ({@code new Random(seed)})
   * @return the split; {@code eval} is empty when {@code fraction} is 0
   */
  public static PairSplit byId(List<PreferencePair> pairs, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("eval fraction " + fraction + " not in [0, 1)");
    }
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(pairs.stream().map(PreferencePair::id).toList()));
    Collections.shuffle(ids, new Random(seed));
    int k = fraction == 0 ? 0 : Math.min(ids.size() - 1, (int) Math.ceil(fraction * ids.size()));
    Set<String> held = new HashSet<>(ids.subList(0, Math.max(0, k)));
    List<PreferencePair> train = new ArrayList<>();
    List<PreferencePair> eval = new ArrayList<>();
    for (PreferencePair p : pairs) {
      (held.contains(p.id()) ? eval : train).add(p);
    }
    return new PairSplit(train, eval);
  }
}
