package dev.stepwise.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The directory of one run: {@code outputs/<config-name>/<yyyy-MM-dd>/<HH-mm-ss>/} by default
 * (Hydra's layout), or the configured {@code run.dir}. A second run started within the same
 * second gets a {@code _1}, {@code _2}, ... suffix instead of sharing the directory.
 *
 * <p>Holds {@code config.conf} (the resolved config), {@code overrides.txt}, {@code git.txt},
 * {@code env.txt}, {@code run.log}, {@code metrics.jsonl} and {@code checkpoints/}.
 */
public final class RunDir {
  private final Path path;

  private RunDir(Path path) {
    this.path = path;
  }

  /**
   * Creates (or reuses, when {@code configured} names an existing directory, as a resumed run
   * does) the run directory.
   *
   * @param configured the {@code run.dir} value, or null/blank for the timestamped default
   * @param configName the primary config's name (e.g. {@code tiny_sft})
   * @param now the start time of the run
   * @return the run directory, created on disk
   */
  public static RunDir create(String configured, String configName, LocalDateTime now) {
    Path dir;
    if (configured != null && !configured.isBlank()) {
      dir = Path.of(configured);
    } else {
      Path base =
          Path.of(
              "outputs",
              configName,
              now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd")),
              now.format(DateTimeFormatter.ofPattern("HH-mm-ss")));
      dir = base;
      for (int i = 1; Files.exists(dir); i++) {
        dir = base.resolveSibling(base.getFileName() + "_" + i);
      }
    }
    try {
      Files.createDirectories(dir.resolve("checkpoints"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + dir, e);
    }
    return new RunDir(dir);
  }

  /** @return the directory */
  public Path path() {
    return path;
  }

  /** @return {@code <run>/checkpoints} */
  public Path checkpoints() {
    return path.resolve("checkpoints");
  }

  /** @return {@code <run>/metrics.jsonl} */
  public Path metrics() {
    return path.resolve("metrics.jsonl");
  }

  /**
   * Writes the provenance files: {@code config.conf}, {@code overrides.txt} (one per line),
   * {@code git.txt} and {@code env.txt}.
   *
   * @param resolvedConfig the resolved config rendered as HOCON
   * @param overrides the command-line overrides, in order
   * @param env lines for {@code env.txt} (versions, threads)
   */
  public void writeProvenance(String resolvedConfig, List<String> overrides, List<String> env) {
    try {
      Files.writeString(path.resolve("config.conf"), resolvedConfig);
      Files.write(path.resolve("overrides.txt"), overrides);
      Files.write(path.resolve("git.txt"), Provenance.git(Path.of("")));
      Files.write(path.resolve("env.txt"), env);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write provenance files in " + path, e);
    }
  }
}
