package dev.stepwise.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Knobs of the GSM8K task ({@code gsm8k}), bound from config with snake_case keys; a missing key
 * takes the default below.
 *
 * @param dataDir the shared data directory holding {@code gsm8k/train.jsonl} and {@code
 *     gsm8k/test.jsonl} ({@code data_dir}); null or blank: the {@code STEPWISE_DATA} environment
 *     variable, else {@code ../shared/data}
 * @param stripCalculator remove the {@code <<a*b=c>>} calculator annotations from the targets
 *     ({@code strip_calculator}, default false: kept, as in the reference SFT data)
 * @param maxTrain at most this many training problems, in file order ({@code max_train}, default
 *     0: all 7,473)
 * @param maxTest at most this many test problems, in file order ({@code max_test}, default 0:
 *     all 1,319)
 */
public record Gsm8kConfig(
    @JsonProperty("data_dir") String dataDir,
    @JsonProperty("strip_calculator") boolean stripCalculator,
    @JsonProperty("max_train") int maxTrain,
    @JsonProperty("max_test") int maxTest) {

  /** The default configuration: data from {@code STEPWISE_DATA}, annotations kept, no caps. */
  public static final Gsm8kConfig DEFAULTS = new Gsm8kConfig(null, false, 0, 0);

  /** The Jackson creator: binds snake_case keys, missing ones taking {@link #DEFAULTS}. */
  @JsonCreator
  public static Gsm8kConfig of(
      @JsonProperty("data_dir") String dataDir,
      @JsonProperty("strip_calculator") Boolean stripCalculator,
      @JsonProperty("max_train") Integer maxTrain,
      @JsonProperty("max_test") Integer maxTest) {
    return new Gsm8kConfig(
        dataDir,
        stripCalculator != null && stripCalculator,
        maxTrain != null ? maxTrain : 0,
        maxTest != null ? maxTest : 0);
  }
}
