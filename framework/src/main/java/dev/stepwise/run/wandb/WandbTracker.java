package dev.stepwise.run.wandb;

import com.typesafe.config.Config;
import dev.stepwise.config.UserError;
import dev.stepwise.run.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code wandb} tracker: writes the run as a W&amp;B offline run ({@link WandbRun}) that
 * {@code wandb sync <run dir>/wandb/offline-run-...} uploads, with the keys of the Hugging Face
 * {@code WandbCallback}.
 *
 * <ul>
 *   <li><b>Config</b>: the resolved config's dotted paths ({@link FlatConfig}).
 *   <li><b>History</b>: one row per step. Keys are rewritten by {@link WandbKeys} ({@code loss ->
 *       train/loss}); several {@link #log} calls with the same step (train metrics, then eval
 *       metrics) are merged into one row, written when a later step arrives or at the end. Each
 *       row holds {@code _step} (the step), {@code _runtime} (seconds since the start, double),
 *       {@code _timestamp} (Unix seconds, double) and {@code train/global_step} (the step, as the
 *       HF callback logs it), then the metrics. A step lower than the current one is dropped with
 *       a warning, as {@code wandb.log(step=...)} does.
 *   <li><b>Summary</b>: the last value of every history key, {@code best/<key>} for every numeric
 *       {@code eval/*} quality metric (see {@link #direction}: the minimum of losses, the maximum
 *       of accuracies and rewards; counts, runtimes and rates get none), then the values given to
 *       {@link #summary} (keys rewritten), which win.
 *   <li><b>Exit</b>: code 0 on {@link #close()}; after {@link #fail}, 2 for a {@link UserError},
 *       128 + signal (143, 130) for a run that stopped on a stop signal ({@link
 *       dev.stepwise.run.StopSignals}) and 1 otherwise (the CLI's codes); 255 when the JVM shuts down before {@link #close()}
 *       (a signal outside {@code run.stop_signals}, {@code System.exit}). A {@code kill -9} leaves no exit record, but every record written
 *       before it is complete on disk.
 * </ul>
 *
 * Thread-safe (every method synchronizes).
 */
public final class WandbTracker implements Tracker {
  private static final Logger LOG = LoggerFactory.getLogger(WandbTracker.class);

  private final WandbRun run;
  private final long startNanos = System.nanoTime();
  private final Thread hook;
  private Long pendingStep;
  private final Map<String, Object> pending = new LinkedHashMap<>();
  private double pendingRuntime;
  private double pendingTimestamp;
  private long lastWritten = -1;
  private final Map<String, String> last = new LinkedHashMap<>();
  private final Map<String, Double> best = new LinkedHashMap<>();
  private final Map<String, Object> explicit = new LinkedHashMap<>();
  private int exitCode;
  private boolean closed;
  private boolean warnedBackwards;

  private WandbTracker(WandbRun run) {
    this.run = run;
    this.hook = new Thread(() -> end(255), "wandb-exit");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Opens the tracker of a run: settings from {@code tracker.wandb} ({@link WandbSettings#from}),
   * the whole resolved config as the run's config.
   *
   * @param runDir the run directory; the offline run goes under {@code <runDir>/wandb/} unless
   *     {@code tracker.wandb.dir} is set
   * @param config the composed, resolved config
   * @return the open tracker
   * @throws UserError for bad {@code tracker.wandb} settings
   * @throws UncheckedIOException when the files cannot be created
   */
  public static WandbTracker open(Path runDir, Config config) {
    WandbSettings s = WandbSettings.from(config);
    Path base = s.dir() == null || s.dir().isBlank() ? runDir : Path.of(s.dir());
    return open(base, s, FlatConfig.of(config));
  }

  /**
   * @param base the folder that gets {@code wandb/}
   * @param s the settings
   * @param config dotted config path to JSON value
   * @return the open tracker
   * @throws UncheckedIOException when the files cannot be created
   */
  public static WandbTracker open(Path base, WandbSettings s, Map<String, String> config) {
    try {
      WandbRun run = WandbRun.start(base, s, config, Instant.now(), WandbRun.newId());
      LOG.info("W&B offline run {} (upload with: wandb sync {})", run.id(), run.dir());
      return new WandbTracker(run);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the W&B offline run under " + base, e);
    }
  }

  /** @return the offline run folder ({@code .../wandb/offline-run-<stamp>-<id>}) */
  public Path dir() {
    return run.dir();
  }

  /** @return the {@code run-<id>.wandb} file */
  public Path file() {
    return run.file();
  }

  /** @return the 8-character run id */
  public String id() {
    return run.id();
  }

  @Override
  public synchronized void log(long step, Map<String, ?> metrics) {
    if (closed) {
      throw new IllegalStateException("W&B tracker is closed");
    }
    if ((pendingStep != null && step < pendingStep) || step <= lastWritten) {
      if (!warnedBackwards) {
        LOG.warn("W&B: step {} is lower than the current step {}; dropping its metrics (as wandb.log does)",
            step, pendingStep != null ? pendingStep : lastWritten);
        warnedBackwards = true;
      }
      return;
    }
    if (pendingStep != null && step > pendingStep) {
      flushPending();
    }
    if (pendingStep == null) {
      pendingStep = step;
      pendingRuntime = runtime();
      pendingTimestamp = System.currentTimeMillis() / 1000.0;
    }
    metrics.forEach((k, v) -> pending.put(WandbKeys.rewrite(k), v));
  }

  @Override
  public synchronized void summary(Map<String, ?> values) {
    values.forEach((k, v) -> explicit.put(WandbKeys.rewrite(k), v));
  }

  @Override
  public synchronized void fail(Throwable error) {
    dev.stepwise.run.StopRequested stop = dev.stepwise.run.StopRequested.in(error);
    exitCode = stop != null ? stop.exitCode() : error instanceof UserError ? 2 : 1;
  }

  private double runtime() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void flushPending() {
    if (pendingStep == null) {
      return;
    }
    Map<String, String> row = new LinkedHashMap<>();
    row.put("_step", FlatConfig.json(pendingStep));
    row.put("_runtime", FlatConfig.json(pendingRuntime));
    row.put("_timestamp", FlatConfig.json(pendingTimestamp));
    row.put("train/global_step", FlatConfig.json(pendingStep));
    pending.forEach((k, v) -> row.put(k, FlatConfig.json(v)));
    try {
      run.history(pendingStep, row);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + run.file(), e);
    }
    last.putAll(row);
    pending.forEach(this::trackBest);
    lastWritten = pendingStep;
    pendingStep = null;
    pending.clear();
  }

  private void trackBest(String key, Object value) {
    if (!key.startsWith("eval/") || !(value instanceof Number n)) {
      return;
    }
    int direction = direction(key.substring(key.lastIndexOf('/') + 1));
    double v = n.doubleValue();
    if (direction == 0 || Double.isNaN(v)) {
      return;
    }
    best.merge(key, v, (a, b) -> direction < 0 ? Math.min(a, b) : Math.max(a, b));
  }

  /**
   * @param name the last segment of an {@code eval/} key
   * @return -1: lower is better (loss, perplexity, ppl, error); +1: higher is better (acc,
   *     accuracy, reward, score, f1, exact_match, pass, win_rate, margins); 0: not a quality
   *     metric (counts, runtimes, rates), no best value
   */
  static int direction(String name) {
    for (String s : new String[] {"loss", "perplexity", "ppl", "error"}) {
      if (name.contains(s)) {
        return -1;
      }
    }
    for (String s : new String[] {"acc", "reward", "score", "f1", "exact_match", "pass", "win_rate", "margins"}) {
      if (name.contains(s)) {
        return 1;
      }
    }
    return 0;
  }

  /** Flushes the last row and writes summary, exit and final records with the given code. */
  private synchronized void end(int code) {
    if (run.finished()) {
      return;
    }
    try {
      flushPending();
      Map<String, String> summary = new LinkedHashMap<>(last);
      best.forEach((k, v) -> summary.put("best/" + k, FlatConfig.json(v)));
      explicit.forEach((k, v) -> summary.put(k, FlatConfig.json(v)));
      run.finish(summary, code, (int) Math.round(runtime()));
      run.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish " + run.file(), e);
    }
  }

  /** Writes the last row, the summary, the exit record (code 0, or the {@link #fail} code) and the final record. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to; end() is idempotent
    }
    end(exitCode);
    LOG.info("W&B offline run {} finished (exit code {}): wandb sync {}", run.id(), exitCode, run.dir());
  }
}
