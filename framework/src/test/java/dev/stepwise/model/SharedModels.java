package dev.stepwise.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/** The real pretrained models of the shared data, for tests; they skip with a message when it is absent. */
public final class SharedModels {
  private SharedModels() {}

  /**
   * @return {@code models/stories260K} under {@code $STEPWISE_DATA} or {@code ../shared/data}
   *     (seen from the project root or a module); aborts the calling test when none exists
   */
  public static Path stories260k() {
    Path dir = Stream.of(System.getenv("STEPWISE_DATA"), "../shared/data", "../../shared/data")
        .filter(Objects::nonNull)
        .map(s -> Path.of(s, "models", "stories260K"))
        .filter(Files::isDirectory)
        .findFirst()
        .orElse(null);
    assumeTrue(dir != null, "shared data not found (models/stories260K; set STEPWISE_DATA); skipping");
    return dir;
  }
}
