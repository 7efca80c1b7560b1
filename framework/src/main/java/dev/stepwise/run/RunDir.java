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
 * {@code env.txt}, {@code command.txt}, {@code rerun.sh}, {@code run.log}, {@code metrics.jsonl}
 * and {@code checkpoints/}.
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
   * Writes {@code command.txt} (the exact command line that started the run, shell-quoted) and
   * an executable {@code rerun.sh} that runs the same program on this directory's resolved
   * {@code config.conf} (as the conf root and primary config) in a new run directory; arguments
   * given to {@code rerun.sh} are added as overrides.
   *
   * @param command the exact command line: java, JVM options, class path, main class, arguments
   * @param program the program part only: java, JVM options, {@code -cp}, class path, main class
   * @param cwd the working directory the run was started in
   */
  public void writeCommand(List<String> command, List<String> program, Path cwd) {
    try {
      Files.writeString(path.resolve("command.txt"), shellJoin(command) + "\n");
      String rerun = "#!/usr/bin/env bash\n"
          + "# Re-runs this run from its resolved config (config.conf beside this script) in a new run directory.\n"
          + "# Extra arguments are overrides, e.g. ./rerun.sh trainer.max_steps=10\n"
          + "set -euo pipefail\n"
          + "HERE=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n"
          + "cd " + quote(cwd.toAbsolutePath().toString()) + "\n"
          + "exec " + shellJoin(program) + " --config-root \"$HERE\" -cp \"$HERE\" run.dir=null \"$@\"\n";
      Path f = path.resolve("rerun.sh");
      Files.writeString(f, rerun);
      f.toFile().setExecutable(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write command.txt/rerun.sh in " + path, e);
    }
  }

  private static String shellJoin(List<String> words) {
    return String.join(" ", words.stream().map(RunDir::quote).toList());
  }

  private static String quote(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9_@%+=:,./\\-]+")) return s;
    return "'" + s.replace("'", "'\\''") + "'";
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
