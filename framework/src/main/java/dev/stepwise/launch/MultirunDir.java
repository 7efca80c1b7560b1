package dev.stepwise.launch;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.stepwise.config.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory of a sweep: {@code multirun/<config-name>/<yyyy-MM-dd>/<HH-mm-ss>/} (or
 * {@code sweep.dir}), created before any job starts, holding {@code multirun.conf} (the base
 * arguments, the launcher and every job's overrides, what {@code --resume} reads), one run
 * directory per job ({@code 0/}, {@code 1/}, ...; each with {@code job.log} and {@code status})
 * and {@code summary.tsv}.
 *
 * <p>{@code status} is one line: {@code ok <wall_s>} or {@code failed <exit_code> <wall_s>}.
 */
public final class MultirunDir {
  /** The manifest file name. */
  public static final String MANIFEST = "multirun.conf";
  private final Path path;

  private MultirunDir(Path path) {
    this.path = path;
  }

  /**
   * @param configured {@code sweep.dir}, or null for the timestamped default
   * @param cwd the working directory the default is relative to
   * @param configName the primary config's name
   * @param now the sweep's start time
   * @return the new, created directory ({@code _1}, {@code _2} suffixes when it exists)
   */
  public static MultirunDir create(String configured, Path cwd, String configName, LocalDateTime now) {
    Path dir;
    if (configured != null && !configured.isBlank()) {
      dir = cwd.resolve(configured);
    } else {
      Path base = cwd.resolve(Path.of("multirun", configName, now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd")),
          now.format(DateTimeFormatter.ofPattern("HH-mm-ss"))));
      dir = base;
      for (int i = 1; Files.exists(dir); i++) dir = base.resolveSibling(base.getFileName() + "_" + i);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create sweep directory " + dir, e);
    }
    return new MultirunDir(dir.toAbsolutePath().normalize());
  }

  /**
   * @param dir an existing sweep directory (for {@code --resume})
   * @throws UserError when it has no {@code multirun.conf}
   */
  public static MultirunDir open(Path dir) {
    if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
      throw new UserError("Cannot resume '" + dir + "': no " + MANIFEST + " there (is it a sweep directory?)");
    }
    return new MultirunDir(dir.toAbsolutePath().normalize());
  }

  /** @return the sweep directory */
  public Path path() {
    return path;
  }

  /** @return the run directory of job {@code index} */
  public Path jobDir(int index) {
    return path.resolve(String.valueOf(index));
  }

  /** @return the log of job {@code index} (its standard output and error) */
  public Path jobLog(int index) {
    return jobDir(index).resolve("job.log");
  }

  /**
   * Writes {@code multirun.conf}.
   *
   * @param configName the primary config's name
   * @param baseArgs the arguments every job shares (options such as {@code -cp}, {@code -cn})
   * @param launcher the launcher's name
   * @param jobs every job of the sweep
   */
  public void writeManifest(String configName, List<String> baseArgs, String launcher, List<SweepJob> jobs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("config_name", configName);
    m.put("base_args", baseArgs);
    m.put("launcher", launcher);
    List<Object> js = new ArrayList<>();
    for (SweepJob j : jobs) js.add(Map.of("index", j.index(), "overrides", j.overrides()));
    m.put("jobs", js);
    String text = "# Sweep manifest: what --resume " + path + " re-runs.\n"
        + ConfigValueFactory.fromMap(m).render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    write(path.resolve(MANIFEST), text);
  }

  /** @return the manifest's content */
  public Config manifest() {
    return ConfigFactory.parseFile(path.resolve(MANIFEST).toFile());
  }

  /** @return the jobs listed in the manifest */
  public List<SweepJob> manifestJobs() {
    List<SweepJob> out = new ArrayList<>();
    for (Config j : manifest().getConfigList("jobs")) out.add(new SweepJob(j.getInt("index"), j.getStringList("overrides")));
    out.sort(java.util.Comparator.comparingInt(SweepJob::index));
    return out;
  }

  /** Records how job {@code r.job()} ended in its {@code status} file. */
  public void writeStatus(JobResult r) {
    String line = r.ok() ? String.format("ok %.3f%n", r.wallSeconds())
        : String.format("%s %d %.3f%n", r.status(), r.exitCode(), r.wallSeconds());
    write(jobDir(r.job().index()).resolve("status"), line);
  }

  /** @return the recorded result of {@code job}: from its {@code status} file, else {@code pending} */
  public JobResult readStatus(SweepJob job) {
    Path f = jobDir(job.index()).resolve("status");
    try {
      if (!Files.isRegularFile(f)) return new JobResult(job, "pending", -1, 0);
      String[] w = Files.readString(f).strip().split("\\s+");
      if (w[0].equals("ok")) return new JobResult(job, "ok", 0, Double.parseDouble(w[1]));
      return new JobResult(job, w[0], Integer.parseInt(w[1]), Double.parseDouble(w[2]));
    } catch (IOException | RuntimeException e) {
      return new JobResult(job, "pending", -1, 0);
    }
  }

  static void write(Path f, String text) {
    try {
      Files.createDirectories(f.getParent());
      Files.writeString(f, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + f, e);
    }
  }
}
