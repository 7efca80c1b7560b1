package dev.stepwise.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The stop ids of a Hugging Face {@code generation_config.json}: its {@code eos_token_id}, an
 * integer or a list (Llama 3.x Instruct lists {@code <|end_of_text|>}, {@code <|eom_id|>} and
 * {@code <|eot_id|>}; every one of them ends a generation, as in transformers' {@code
 * generate}).
 */
public final class GenerationConfig {
  /** The file name. */
  public static final String FILE = "generation_config.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private GenerationConfig() {}

  /**
   * @param dir a model directory
   * @return the eos ids listed there, in file order; empty when the file or key is absent
   * @throws UserError when the file is not JSON or {@code eos_token_id} is neither an integer nor
   *     a list of integers
   */
  public static Set<Integer> eosIds(Path dir) {
    Path file = dir.resolve(FILE);
    Set<Integer> ids = new LinkedHashSet<>();
    if (!Files.isRegularFile(file)) {
      return ids;
    }
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UserError(file + ": not valid JSON (" + e.getMessage() + ")", e);
    }
    JsonNode eos = n.get("eos_token_id");
    if (eos == null || eos.isNull()) {
      return ids;
    }
    if (eos.isIntegralNumber()) {
      ids.add(eos.asInt());
    } else if (eos.isArray()) {
      for (JsonNode e : eos) {
        if (!e.isIntegralNumber()) {
          throw new UserError(file + ": eos_token_id must be an integer or a list of integers, got " + eos);
        }
        ids.add(e.asInt());
      }
    } else {
      throw new UserError(file + ": eos_token_id must be an integer or a list of integers, got " + eos);
    }
    return ids;
  }
}
