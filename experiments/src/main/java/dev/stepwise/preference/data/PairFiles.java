package dev.stepwise.preference.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a pairs JSONL file, checking every record. */
public final class PairFiles {
  private PairFiles() {}

  /**
   * @param file JSONL of {@link PreferencePair} records (extra fields are ignored)
   * @return the pairs in file order
   * @throws UserError when the file is missing or empty, a line is not JSON, or a record lacks
   *     one of {@code id, prompt, chosen, rejected} ({@code "<file>:<line>: ..."})
   */
  public static List<PreferencePair> read(Path file) {
    List<PreferencePair> out = new ArrayList<>();
    try (JsonlReader r = JsonlReader.open(file)) {
      while (r.hasNext()) {
        JsonNode node = r.next();
        PreferencePair p = r.bind(node, PreferencePair.class);
        String missing = p.id() == null ? "id" : p.prompt() == null ? "prompt"
            : p.chosen() == null ? "chosen" : p.rejected() == null ? "rejected" : null;
        if (missing != null) {
          throw new UserError(file + ":" + r.lineNumber() + ": preference pair has no field '" + missing + "'");
        }
        out.add(p);
      }
    }
    if (out.isEmpty()) {
      throw new UserError(file + ": no preference pairs in the file");
    }
    return out;
  }
}
