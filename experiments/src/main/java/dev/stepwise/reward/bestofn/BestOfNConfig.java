package dev.stepwise.reward.bestofn;

import dev.stepwise.config.Nullable;

/**
 * The {@code best_of_n} section.
 *
 * @param prmFile PRM predictions ({@code predictions.jsonl} of the predict job); required
 * @param ormFile ORM predictions of the same samples, or null for no ORM row
 * @param n responses per problem to choose from (the first n); 0 = all (default)
 */
public record BestOfNConfig(@Nullable String prmFile, @Nullable String ormFile, @Nullable Integer n) {
  /** Fills the default n. */
  public BestOfNConfig {
    n = n == null ? 0 : n;
  }
}
