package dev.stepwise.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Knobs of the LogiQA-v2 task ({@code logiqa2}), bound from config with snake_case keys.
 *
 * @param dataDir the shared data directory holding {@code logiqa2/<split>.jsonl} ({@code
 *     data_dir}); null or blank: {@code $STEPWISE_DATA}, else {@code ../shared/data}
 * @param maxProblems at most this many problems per split, in file order ({@code max_problems},
 *     default 0: all)
 */
public record LogiQa2Config(
    @JsonProperty("data_dir") String dataDir, @JsonProperty("max_problems") int maxProblems) {

  /** The Jackson creator: missing keys take the defaults (environment data dir, no cap). */
  @JsonCreator
  public static LogiQa2Config of(
      @JsonProperty("data_dir") String dataDir, @JsonProperty("max_problems") Integer maxProblems) {
    return new LogiQa2Config(dataDir, maxProblems != null ? maxProblems : 0);
  }
}
