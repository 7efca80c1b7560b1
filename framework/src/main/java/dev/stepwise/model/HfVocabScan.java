package dev.stepwise.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One streaming pass over {@code tokenizer.json}: the largest id and the ids of some tokens. */
final class HfVocabScan {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  int maxId = -1;
  final Map<String, Integer> found = new HashMap<>();

  static HfVocabScan of(Path file, String... wanted) throws IOException {
    HfVocabScan scan = new HfVocabScan();
    Set<String> want = Set.of(Arrays.stream(wanted).distinct().toArray(String[]::new));
    try (JsonParser p = MAPPER.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new UserError(file + ": not a Hugging Face tokenizer.json (not a JSON object)");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if ("added_tokens".equals(field) && p.currentToken() == JsonToken.START_ARRAY) {
          for (JsonNode t : (JsonNode) MAPPER.readTree(p)) {
            scan.see(t.path("content").asText(), t.path("id").asInt(-1), want, true);
          }
        } else if ("model".equals(field) && p.currentToken() == JsonToken.START_OBJECT) {
          scan.readModel(p, want);
        } else {
          p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (scan.maxId < 0) {
      throw new UserError(file + ": no vocabulary found (expected model.vocab)");
    }
    return scan;
  }

  private void readModel(JsonParser p, Set<String> want) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (!"vocab".equals(field)) {
        p.skipChildren();
      } else if (t == JsonToken.START_OBJECT) { // BPE, WordPiece, WordLevel: {token: id}
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String token = p.currentName();
          p.nextToken();
          see(token, p.getIntValue(), want, false);
        }
      } else if (t == JsonToken.START_ARRAY) { // Unigram: [[token, score], ...]
        int id = 0;
        while (p.nextToken() == JsonToken.START_ARRAY) {
          p.nextToken();
          see(p.getText(), id++, want, false);
          p.skipChildren();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private void see(String token, int id, Set<String> want, boolean override) {
    maxId = Math.max(maxId, id);
    if (want.contains(token) && (override || !found.containsKey(token))) {
      found.put(token, id);
    }
  }

  int require(String token, String role, Path file) {
    Integer id = found.get(token);
    if (id == null) {
      throw new UserError(
          file + ": the " + role + " token '" + token + "' is not in its vocabulary");
    }
    return id;
  }
}
