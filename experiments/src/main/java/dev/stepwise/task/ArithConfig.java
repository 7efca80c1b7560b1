package dev.stepwise.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.stepwise.config.UserError;

/**
 * Knobs of the built-in arithmetic task ({@code arith}), bound from config with snake_case keys;
 * a missing key takes the default below.
 *
 * <p>Difficulty grows with the number of steps, the operand range, the operations and the answer
 * bound; the defaults (1 to 3 steps of {@code + - *} on numbers up to 20, values up to 999) are
 * meant for a tiny character-level model.
 *
 * @param minSteps fewest operations per problem ({@code min_steps}, default 1, at least 1)
 * @param maxSteps most operations per problem ({@code max_steps}, default 3, at least {@code
 *     min_steps}, at most 10)
 * @param maxNumber operands are drawn from {@code [1, max_number]} ({@code max_number}, default
 *     20, at least 2)
 * @param maxValue every intermediate value and the answer lie in {@code [0, max_value]} ({@code
 *     max_value}, default 999, at least {@code max_number}, below 10^6)
 * @param ops the operations to draw from, any of {@code "+-* /"} without the space, e.g. {@code
 *     "+-"} ({@code ops}, default {@code "+-*"}; {@code /} is exact division)
 * @param numTrain number of training problems ({@code num_train}, default 10000)
 * @param numTest number of test problems ({@code num_test}, default 500)
 * @param seed generation seed ({@code seed}, default 1234); train and test use different
 *     streams derived from it
 */
public record ArithConfig(
    @JsonProperty("min_steps") int minSteps,
    @JsonProperty("max_steps") int maxSteps,
    @JsonProperty("max_number") int maxNumber,
    @JsonProperty("max_value") int maxValue,
    @JsonProperty("ops") String ops,
    @JsonProperty("num_train") int numTrain,
    @JsonProperty("num_test") int numTest,
    @JsonProperty("seed") long seed) {

  /** The default configuration. */
  public static final ArithConfig DEFAULTS =
      new ArithConfig(1, 3, 20, 999, "+-*", 10_000, 500, 1234);

  /**
   * Validates the knobs.
   *
   * @throws UserError naming the key when a knob is out of range
   */
  public ArithConfig {
    require(minSteps >= 1, "min_steps must be at least 1, got " + minSteps);
    require(maxSteps >= minSteps && maxSteps <= 10,
        "max_steps must be in [min_steps=" + minSteps + ", 10], got " + maxSteps);
    require(maxNumber >= 2, "max_number must be at least 2, got " + maxNumber);
    require(maxValue >= maxNumber && maxValue < 1_000_000,
        "max_value must be in [max_number=" + maxNumber + ", 999999], got " + maxValue);
    require(ops != null && !ops.isEmpty() && ops.chars().allMatch(c -> "+-*/".indexOf(c) >= 0),
        "ops must be a non-empty string of the operations + - * /, got '" + ops + "'");
    require(ops.indexOf('+') >= 0 || ops.indexOf('*') >= 0,
        "ops must contain + or * (with only - and / values can only shrink), got '" + ops + "'");
    require(numTrain >= 0, "num_train must be >= 0, got " + numTrain);
    require(numTest >= 0, "num_test must be >= 0, got " + numTest);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new UserError("arith task config: " + message);
    }
  }

  /**
   * The Jackson creator: binds snake_case keys, missing ones taking {@link #DEFAULTS}.
   *
   * @throws UserError when a knob is out of range
   */
  @JsonCreator
  public static ArithConfig of(
      @JsonProperty("min_steps") Integer minSteps,
      @JsonProperty("max_steps") Integer maxSteps,
      @JsonProperty("max_number") Integer maxNumber,
      @JsonProperty("max_value") Integer maxValue,
      @JsonProperty("ops") String ops,
      @JsonProperty("num_train") Integer numTrain,
      @JsonProperty("num_test") Integer numTest,
      @JsonProperty("seed") Long seed) {
    ArithConfig d = DEFAULTS;
    return new ArithConfig(
        minSteps != null ? minSteps : d.minSteps,
        maxSteps != null ? maxSteps : d.maxSteps,
        maxNumber != null ? maxNumber : d.maxNumber,
        maxValue != null ? maxValue : d.maxValue,
        ops != null ? ops : d.ops,
        numTrain != null ? numTrain : d.numTrain,
        numTest != null ? numTest : d.numTest,
        seed != null ? seed : d.seed);
  }
}
