package dev.stepwise.reward.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Splits items by question: the distinct ids are shuffled with {@code new Random(seed)} and the
 * last {@code round(fraction · #ids)} become the held-out set, so no question has responses on
 * both sides.
 */
public final class QuestionSplit {
  private QuestionSplit() {}

  /**
   * @param fraction held-out share of the questions in [0, 1)
   * @return the held-out ids
   */
  public static Set<String> heldOut(List<String> ids, double fraction, long seed) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
    Collections.shuffle(distinct, new Random(seed));
    int n = (int) Math.round(fraction * distinct.size());
    return new LinkedHashSet<>(distinct.subList(distinct.size() - n, distinct.size()));
  }

  /** @return the items whose id is (keep = true) or is not (keep = false) in {@code ids} */
  public static <T> List<T> filter(List<T> items, Function<T, String> id, Set<String> ids, boolean keep) {
    List<T> out = new ArrayList<>();
    for (T t : items) {
      if (ids.contains(id.apply(t)) == keep) {
        out.add(t);
      }
    }
    return out;
  }
}
