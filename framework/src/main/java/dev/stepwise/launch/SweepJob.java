package dev.stepwise.launch;

import java.util.List;

/**
 * One job of a sweep.
 *
 * @param index the job number, 0-based; its directory is {@code <sweep>/<index>}
 * @param overrides the job's command-line overrides in order (no sweep syntax left), without
 *     the {@code run.dir} the launcher adds
 */
public record SweepJob(int index, List<String> overrides) {
  /** @return the overrides joined by spaces, as in {@code summary.tsv} */
  public String overridesText() {
    return String.join(" ", overrides);
  }
}
