package dev.stepwise.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Resume of the files a search writes beside its main output. A problem's lines in the side
 * files ({@code tree.jsonl}, exports) are written before its line in the main file, so after a
 * kill a side file may hold lines of problems the main file lacks; those problems are searched
 * again, so their old lines are dropped first. Nothing is then lost or written twice.
 */
public final class SideFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SideFiles() {}

  /**
   * Rewrites {@code file} (when it exists) keeping only the lines whose {@code id} is in {@code
   * done}; a cut last line is dropped too. The new content replaces the old atomically.
   *
   * @return the number of lines dropped
   * @throws UncheckedIOException when the file cannot be rewritten
   */
  public static int keepIds(Path file, Set<String> done) {
    if (!Files.exists(file)) {
      return 0;
    }
    List<String> kept = new ArrayList<>();
    int dropped = 0;
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : lines) {
      JsonNode n;
      try {
        n = MAPPER.readTree(line);
      } catch (IOException e) {
        dropped++;
        continue;
      }
      if (n != null && done.contains(n.path("id").asText(null))) {
        kept.add(line);
      } else if (!line.isBlank()) {
        dropped++;
      }
    }
    if (dropped == 0) {
      return 0;
    }
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, kept, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dropped;
  }
}
