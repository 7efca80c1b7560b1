package dev.stepwise.reward.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code reward_head.json} says about a saved reward head, so that prediction can rebuild it.
 *
 * @param type {@code scalar} or {@code classes}
 * @param numClasses logits per position: 1 for scalar, k+1 &ge; 2 for classes
 * @param objective the training objective, {@code orm} or {@code prm}
 * @param labelType the PRM label type ({@code soft}, {@code hard}, {@code classes}), {@code
 *     outcome} for an ORM
 */
public record HeadSpec(
    @JsonProperty("type") String type,
    @JsonProperty("num_classes") int numClasses,
    @JsonProperty("objective") String objective,
    @JsonProperty("label_type") String labelType) {
  /** The file name inside a reward-model directory. */
  public static final String FILE = "reward_head.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** @return the head type named by {@link #type()} */
  public HeadType headType() {
    return switch (type) {
      case "scalar" -> HeadType.SCALAR;
      case "classes" -> HeadType.CLASSES;
      default -> throw new UserError(FILE + ": unknown head type '" + type + "' (scalar, classes)");
    };
  }

  /** Writes {@code dir/reward_head.json}. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
  }

  /**
   * @return the spec saved in {@code dir}
   * @throws UserError when the file is missing (the directory is not a reward model) or malformed
   */
  public static HeadSpec read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      throw new UserError(f + ": missing; '" + dir + "' is not a reward-model directory (train one with objective=orm or prm)");
    }
    try {
      return JSON.readValue(f.toFile(), HeadSpec.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError(f + ": " + e.getOriginalMessage(), e);
    }
  }
}
