package dev.stepwise.model;

import dev.stepwise.config.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the model directory a user points at. Besides a plain Hugging Face directory (one with
 * {@code config.json}), the Hugging Face hub cache layout that {@code huggingface-cli download}
 * leaves is accepted: {@code models--<org>--<name>/} with {@code refs/main} naming a revision
 * under {@code snapshots/<revision>/} (or a single snapshot when there is no {@code refs/main}).
 */
public final class HfDirs {
  private HfDirs() {}

  /**
   * @param dir a model directory or a hub cache entry {@code models--org--name}
   * @return the directory holding {@code config.json}: {@code dir} itself, or the snapshot
   * @throws UserError when {@code dir} does not exist, or is a cache entry whose revision cannot be
   *     determined (several snapshots and no {@code refs/main}, or a missing snapshot)
   */
  public static Path resolve(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserError("model directory does not exist: " + dir);
    }
    if (Files.isRegularFile(dir.resolve("config.json")) || !Files.isDirectory(dir.resolve("snapshots"))) {
      return dir;
    }
    Path snapshots = dir.resolve("snapshots");
    Path ref = dir.resolve("refs").resolve("main");
    try {
      if (Files.isRegularFile(ref)) {
        String rev = Files.readString(ref).trim();
        Path snap = snapshots.resolve(rev);
        if (!Files.isDirectory(snap)) {
          throw new UserError(ref + " names revision " + rev + " but " + snap + " does not exist");
        }
        return snap;
      }
      List<Path> all;
      try (Stream<Path> s = Files.list(snapshots)) {
        all = s.filter(Files::isDirectory).sorted().toList();
      }
      if (all.size() != 1) {
        throw new UserError(dir + ": a Hugging Face cache entry with " + all.size() + " snapshots and no refs/main;"
            + " point model.path at one of " + all);
      }
      return all.get(0);
    } catch (IOException e) {
      throw new UserError(dir + ": cannot read the Hugging Face cache layout (" + e.getMessage() + ")", e);
    }
  }
}
