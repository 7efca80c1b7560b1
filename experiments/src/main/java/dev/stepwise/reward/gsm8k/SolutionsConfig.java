package dev.stepwise.reward.gsm8k;

import dev.stepwise.config.Nullable;

/**
 * The {@code solutions} section of the {@code model_solutions} job.
 *
 * @param file the {@code example_model_solutions.jsonl} to read; required
 * @param heldoutFraction share of questions written to {@code heldout.jsonl}, in (0, 1)
 *     (default 0.2)
 * @param seed seed of the question split (default 42)
 */
public record SolutionsConfig(@Nullable String file, @Nullable Double heldoutFraction, @Nullable Long seed) {
  /** Fills defaults. */
  public SolutionsConfig {
    heldoutFraction = heldoutFraction == null ? 0.2 : heldoutFraction;
    seed = seed == null ? 42L : seed;
    if (!(heldoutFraction > 0 && heldoutFraction < 1)) {
      throw new dev.stepwise.config.UserError("solutions.heldout_fraction = " + heldoutFraction + " must be in (0, 1)");
    }
  }
}
