package dev.stepwise.search.beam;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.Nullable;
import dev.stepwise.config.UserError;
import dev.stepwise.reward.predict.Reduce;

/**
 * The {@code beam} section.
 *
 * @param numProposedSteps steps proposed below each beam per round, &ge; 1 (default 4)
 * @param beamWidth partial solutions kept per problem after each round, &ge; 1 (default 2)
 * @param aggregation how a path's step scores p_1..p_k become its score: {@code min} (default),
 *     {@code last} or {@code product} ({@link Reduce})
 */
public record BeamConfig(
    @JsonProperty("num_proposed_steps") @Nullable Integer numProposedSteps,
    @JsonProperty("beam_width") @Nullable Integer beamWidth,
    @JsonProperty("aggregation") @Nullable String aggregation) {
  /** Fills defaults; {@link UserError} naming the key for a bad value. */
  public BeamConfig {
    numProposedSteps = numProposedSteps == null ? 4 : numProposedSteps;
    beamWidth = beamWidth == null ? 2 : beamWidth;
    aggregation = aggregation == null ? "min" : aggregation;
    if (numProposedSteps < 1) {
      throw new UserError("beam.num_proposed_steps = " + numProposedSteps + " must be >= 1");
    }
    if (beamWidth < 1) {
      throw new UserError("beam.beam_width = " + beamWidth + " must be >= 1");
    }
    if (Reduce.parse(aggregation, "beam.aggregation") == Reduce.SUM) {
      throw new UserError("beam.aggregation = sum is not a path score (it grows with length); use min, last or product");
    }
  }

  /** @return the parsed aggregation */
  public Reduce reduce() {
    return Reduce.parse(aggregation, "beam.aggregation");
  }
}
