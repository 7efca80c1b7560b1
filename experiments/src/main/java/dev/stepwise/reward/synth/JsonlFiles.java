package dev.stepwise.reward.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Whole-file JSONL writes that never leave a half-written file behind. */
final class JsonlFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonlFiles() {}

  /**
   * Writes {@code records} (one compact JSON line each) to a temporary file beside {@code file}
   * and moves it over {@code file} atomically.
   */
  static void writeAll(Path file, List<?> records) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (Object r : records) {
        w.write(MAPPER.writeValueAsString(r));
        w.write('\n');
      }
    }
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** @return {@code dir/stem.<i>-of-<k>.jsonl} for {@code file = dir/stem.jsonl} */
  static Path shardPath(Path file, int i, int k) {
    String name = file.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return file.resolveSibling(stem + "." + i + "-of-" + k + ".jsonl");
  }
}
