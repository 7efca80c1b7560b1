package dev.stepwise.run.wandb;

import dev.stepwise.run.wandb.WandbRecords.Item;
import dev.stepwise.run.wandb.WandbRecords.RunInfo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One W&amp;B offline run on disk: {@code <base>/wandb/offline-run-<yyyyMMdd_HHmmss>-<id>/} with
 * {@code run-<id>.wandb} and an empty {@code files/} folder, the layout {@code wandb sync}
 * expects.
 *
 * <p>Records are written in W&amp;B's order: header, run (with the config), config, then one
 * history record per {@link #history} call, and on {@link #finish}: summary, exit, final. Each
 * record is flushed to the OS as it is written ({@link LevelDbLogWriter}). Not thread-safe.
 */
public final class WandbRun implements Closeable {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final Path dir;
  private final Path file;
  private final LevelDbLogWriter log;
  private long num;
  private boolean finished;

  private WandbRun(String id, Path dir, Path file, LevelDbLogWriter log) {
    this.id = id;
    this.dir = dir;
    this.file = file;
    this.log = log;
  }

  /** @return a new run id: 8 random characters from {@code [a-z0-9]}, as W&amp;B generates them */
  public static String newId() {
    StringBuilder b = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /**
   * Creates the run folder and file and writes the header, run and config records.
   *
   * @param base the folder that gets {@code wandb/} (the run directory or {@code tracker.wandb.dir})
   * @param s project, entity, name, group, tags, notes
   * @param config dotted config path to JSON value ({@link FlatConfig#of})
   * @param start the run's start time (the folder name uses the local time zone, as W&amp;B does)
   * @param id the run id ({@link #newId()})
   * @return the open run
   * @throws IOException when the folder or file cannot be created
   */
  public static WandbRun start(Path base, WandbSettings s, Map<String, String> config, Instant start, String id)
      throws IOException {
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneId.systemDefault()).format(start);
    Path dir = base.resolve("wandb").resolve("offline-run-" + stamp + "-" + id);
    Files.createDirectories(dir.resolve("files"));
    Path file = dir.resolve("run-" + id + ".wandb");
    WandbRun run = new WandbRun(id, dir, file, LevelDbLogWriter.create(file));
    List<Item> items = items(config);
    run.write(WandbRecords.header(++run.num));
    RunInfo info = new RunInfo(id, s.project(), s.entity(), s.name(), s.group(), s.notes(), s.tags(), host(), start);
    run.write(WandbRecords.run(++run.num, info, items));
    run.write(WandbRecords.config(++run.num, items));
    return run;
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
  }

  private static List<Item> items(Map<String, String> m) {
    List<Item> out = new ArrayList<>(m.size());
    m.forEach((k, v) -> out.add(new Item(k, v)));
    return out;
  }

  private void write(byte[] record) throws IOException {
    if (finished) {
      throw new IllegalStateException("run " + id + " is finished; nothing may follow its exit record");
    }
    log.append(record);
  }

  /** @return the run id */
  public String id() {
    return id;
  }

  /** @return the offline run folder ({@code .../wandb/offline-run-...}), the argument of {@code wandb sync} */
  public Path dir() {
    return dir;
  }

  /** @return the {@code run-<id>.wandb} file */
  public Path file() {
    return file;
  }

  /**
   * Writes one history row.
   *
   * @param step the row's step ({@code HistoryRecord.step.num}); should equal its {@code _step} item
   * @param row key to JSON value, in order
   * @throws IOException when the write fails
   * @throws IllegalStateException after {@link #finish}
   */
  public void history(long step, Map<String, String> row) throws IOException {
    write(WandbRecords.history(++num, step, items(row)));
  }

  /**
   * Ends the run: writes the summary, exit and final records. Later calls do nothing.
   *
   * @param summary key to JSON value
   * @param exitCode 0 for success, non-zero for a failed or killed run
   * @param runtimeSeconds the run's wall time in seconds
   * @throws IOException when the write fails
   */
  public void finish(Map<String, String> summary, int exitCode, int runtimeSeconds) throws IOException {
    if (finished) {
      return;
    }
    write(WandbRecords.summary(++num, items(summary)));
    write(WandbRecords.exit(++num, exitCode, runtimeSeconds));
    write(WandbRecords.fin(++num));
    finished = true;
  }

  /** @return whether {@link #finish} has run */
  public boolean finished() {
    return finished;
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
