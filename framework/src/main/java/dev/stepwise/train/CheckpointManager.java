package dev.stepwise.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoint directories {@code <output>/checkpoints/checkpoint-<step>/}: writing them so that
 * a crash never leaves one that looks complete, finding the newest complete one, and rotation.
 *
 * <p>Write order: the model files (through {@link CheckpointHook}), {@code
 * optimizer.safetensors}, then {@code trainer_state.json} with {@code "complete": true}, written
 * to a temporary file, forced to disk and renamed atomically. A directory without that file (or
 * with {@code complete} false, or unparseable) is incomplete and ignored by {@link
 * #latestComplete()}.
 */
public final class CheckpointManager {
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  /** @param outputDir the run's output directory; checkpoints go to its {@code checkpoints/} */
  public CheckpointManager(Path outputDir) {
    this.dir = outputDir.resolve("checkpoints");
  }

  /** @return the {@code checkpoints/} directory (may not exist yet) */
  public Path dir() {
    return dir;
  }

  /**
   * Writes {@code checkpoint-<state.globalStep>}, replacing an existing directory of that name.
   *
   * @param state must have {@code complete = true}
   * @return the checkpoint directory
   */
  public Path save(CheckpointHook model, AdamW optimizer, TrainerState state) throws IOException {
    if (!state.complete()) {
      throw new IllegalArgumentException("state must be marked complete");
    }
    Path ck = dir.resolve("checkpoint-" + state.globalStep());
    if (Files.exists(ck)) {
      deleteTree(ck);
    }
    Files.createDirectories(ck);
    model.save(ck);
    optimizer.save(ck);
    Path tmp = ck.resolve(TrainerState.FILE + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(state));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, ck.resolve(TrainerState.FILE), StandardCopyOption.ATOMIC_MOVE);
    return ck;
  }

  /**
   * @return the state of a checkpoint directory, or empty when the directory has no complete
   *     {@code trainer_state.json}
   */
  public static Optional<TrainerState> readState(Path checkpoint) {
    Path f = checkpoint.resolve(TrainerState.FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      TrainerState s = JSON.readValue(f.toFile(), TrainerState.class);
      return s.complete() ? Optional.of(s) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** @return complete checkpoints, oldest (lowest step) first */
  public List<Path> complete() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : all()) {
      if (readState(p).isPresent()) {
        out.add(p);
      }
    }
    return out;
  }

  /** @return the complete checkpoint with the highest step, if any */
  public Optional<Path> latestComplete() throws IOException {
    List<Path> c = complete();
    return c.isEmpty() ? Optional.empty() : Optional.of(c.get(c.size() - 1));
  }

  /**
   * Interprets {@code trainer.resume}.
   *
   * @return the checkpoint to resume from: for {@code auto} the newest complete one (empty when
   *     none), for {@code never} empty, otherwise the given directory
   * @throws UserError when an explicit path is not a complete checkpoint
   */
  public Optional<Path> resolveResume(String resume) throws IOException {
    if (resume.equals("never")) {
      return Optional.empty();
    }
    if (resume.equals("auto")) {
      return latestComplete();
    }
    Path p = Path.of(resume);
    if (readState(p).isEmpty()) {
      throw new UserError(
          "trainer.resume = '" + resume + "' is not a complete checkpoint (no " + TrainerState.FILE
              + " with \"complete\": true); use auto, never or a checkpoint-<step> directory"
              + latestComplete().map(l -> ", e.g. " + l).orElse(""));
    }
    return Optional.of(p);
  }

  /**
   * Deletes the oldest complete checkpoints beyond {@code limit}, never the newest one nor
   * {@code keep} (the best model, may be null), and incomplete directories older than the newest
   * complete one (left by a crash).
   *
   * @param limit maximum number to keep; &le; 0 keeps all
   */
  public void rotate(int limit, Path keep) throws IOException {
    List<Path> complete = complete();
    if (complete.isEmpty()) {
      return;
    }
    Path newest = complete.get(complete.size() - 1);
    long newestStep = stepOf(newest);
    for (Path p : all()) {
      if (stepOf(p) < newestStep && !complete.contains(p)) {
        deleteTree(p);
      }
    }
    if (limit <= 0) {
      return;
    }
    int excess = complete.size() - limit;
    for (Path p : complete) {
      if (excess <= 0) {
        break;
      }
      if (p.equals(newest) || (keep != null && p.equals(keep))) {
        continue;
      }
      deleteTree(p);
      excess--;
    }
  }

  private List<Path> all() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(CheckpointManager::stepOf))
          .toList();
    }
  }

  /** @return the step in a {@code checkpoint-<step>} directory name */
  static long stepOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(p.toString());
    }
    return Long.parseLong(m.group(1));
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(q -> {
        try {
          Files.delete(q);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
