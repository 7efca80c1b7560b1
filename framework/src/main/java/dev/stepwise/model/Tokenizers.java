package dev.stepwise.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads whichever tokenizer a checkpoint directory holds. */
public final class Tokenizers {
  private static final JsonFactory JSON = new JsonFactory();

  private Tokenizers() {}

  /**
   * Loads the tokenizer saved in {@code dir} (or in the {@code tokenizer.json} file itself), its
   * kind detected from {@code tokenizer.json}: a top-level {@code "type": "stepwise-char"} is the
   * built-in {@link CharTokenizer}; a top-level {@code "model"} object is a Hugging Face
   * tokenizer, loaded as {@link HfTokenizer} with its sibling {@code tokenizer_config.json}.
   *
   * <p>A PEFT adapter directory without a {@code tokenizer.json} reads its base model's.
   *
   * @throws UserError when {@code tokenizer.json} is missing, is not JSON, or is of neither kind
   * @throws IOException when the file cannot be read
   */
  public static Tokenizer load(Path dir) throws IOException {
    if (ModelCheckpoint.isAdapterOnly(dir) && !Files.isRegularFile(dir.resolve(HfTokenizer.TOKENIZER_FILE))) {
      return load(dev.stepwise.model.lora.LoraMerge.basePath(dir)); // a PEFT adapter saved without tokenizer: the base's
    }
    Path file = Files.isDirectory(dir) ? HfDirs.resolve(dir).resolve(HfTokenizer.TOKENIZER_FILE) : dir;
    if (!Files.isRegularFile(file)) {
      throw new UserError(
          file + ": tokenizer file not found (a checkpoint directory needs a tokenizer.json)");
    }
    String kind = detect(file);
    switch (kind) {
      case CharTokenizer.TYPE:
        return CharTokenizer.load(file);
      case "hf":
        return HfTokenizer.load(file);
      default:
        throw new UserError(
            file + ": unknown tokenizer type '" + kind + "' (known: " + CharTokenizer.TYPE
                + ", a Hugging Face tokenizer.json with a \"model\" section)");
    }
  }

  /** Streams over the top-level fields only (a Hugging Face file can be tens of megabytes). */
  private static String detect(Path file) throws IOException {
    try (JsonParser p = JSON.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new UserError(file + ": a tokenizer.json must be a JSON object");
      }
      boolean hasModel = false;
      String type = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
          type = p.getText();
        } else if ("model".equals(field) && value == JsonToken.START_OBJECT) {
          hasModel = true;
        }
        p.skipChildren();
      }
      if (type != null) {
        return type;
      }
      return hasModel ? "hf" : "<none>";
    } catch (JsonProcessingException e) {
      throw new UserError(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
