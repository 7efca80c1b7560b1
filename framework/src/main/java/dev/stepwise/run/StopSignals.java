package dev.stepwise.run;

import dev.stepwise.config.DidYouMean;
import dev.stepwise.config.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The one shutdown path of every long job: a stop signal ({@code run.stop_signals}, by default
 * SIGTERM and SIGINT; SIGUSR1 for Slurm's {@code --signal=B:USR1@120}) only sets a flag. The
 * thread that owns the engine polls it at safe points (between optimizer steps, between batches
 * of records, between API calls), finishes the unit it is in, writes its checkpoint or flushes
 * and fsyncs its output, and throws {@link StopRequested}; the CLI then closes the trackers
 * (W&amp;B exit code 143/130) and exits with {@code 128 + signal number} (SIGTERM 143, SIGINT 130,
 * SIGUSR1 138 on Linux). So no engine call is in flight when the JVM exits: the native crash
 * (SIGSEGV in libtorch, {@code hs_err_pid*.log}) of a JVM that shuts down under a running step
 * cannot happen.
 *
 * <p>The handlers are installed with {@code sun.misc.Signal} (module {@code jdk.unsupported}),
 * which replaces the JVM's own handling of these signals: the JVM no longer starts its shutdown
 * (and its shutdown hooks) on them.
 *
 * <p><b>A second signal</b> exits at once: the signal's default action is restored and the
 * signal is sent again to this process, which the kernel then ends as if no handler had been
 * installed (exit status 143/130, no shutdown hooks, no C++ static destructors running under a
 * busy engine thread, no {@code hs_err} file). Checkpoints are written to a temporary directory
 * and renamed, and JSONL appenders repair a cut last line on open, so even this exit corrupts
 * neither. The same signal repeated within {@value #DUPLICATE_MS} ms counts once: a terminal's
 * Ctrl-C reaches both a re-launching parent JVM (which forwards it) and its child, and Slurm
 * signals the batch shell (which forwards) and every process of the job.
 *
 * <p>Thread-safe; state is per JVM (one run per process).
 */
public final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  /** The signals a run may stop on (SIGUSR2 and SIGQUIT are the JVM's own). */
  public static final List<String> SUPPORTED = List.of("TERM", "INT", "USR1", "HUP");
  /** The default of {@code run.stop_signals}. */
  public static final List<String> DEFAULT = List.of("TERM", "INT");
  /** A repeat of the first signal within this many milliseconds is the same request. */
  public static final long DUPLICATE_MS = 1000;

  private static final Object LOCK = new Object();
  private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();
  private static final List<String> INSTALLED = new ArrayList<>();
  private static volatile String signal;
  private static volatile boolean checkpointOnStop = true;
  private static long firstNanos;

  private StopSignals() {}

  /**
   * Installs the stop handler for {@code names} (idempotent; names with or without {@code SIG},
   * any case).
   *
   * @param names signal names from {@link #SUPPORTED}; null for {@link #DEFAULT}
   * @param checkpoint whether training writes a checkpoint when it stops ({@code
   *     run.checkpoint_on_stop}; null for true)
   * @param where the config origin, for errors
   * @throws UserError for an unknown signal name, or one this JVM cannot handle
   */
  public static void install(List<String> names, Boolean checkpoint, String where) {
    checkpointOnStop = checkpoint == null || checkpoint;
    for (String raw : names == null ? DEFAULT : names) {
      String name = normalize(raw, where);
      synchronized (LOCK) {
        if (INSTALLED.contains(name)) {
          continue;
        }
        try {
          Signal.handle(new Signal(name), StopSignals::onSignal);
        } catch (IllegalArgumentException e) {
          throw new UserError("run.stop_signals: this JVM cannot handle SIG" + name + " (" + e.getMessage() + ", " + where + ")");
        }
        INSTALLED.add(name);
      }
    }
  }

  /**
   * @return {@code raw} upper-cased without a {@code SIG} prefix
   * @throws UserError when it is not one of {@link #SUPPORTED}
   */
  public static String normalize(String raw, String where) {
    String n = raw.trim().toUpperCase(Locale.ROOT);
    if (n.startsWith("SIG")) {
      n = n.substring(3);
    }
    if (!SUPPORTED.contains(n)) {
      throw new UserError("run.stop_signals: unknown signal '" + raw + "' (" + where + ")." + DidYouMean.hint(n, SUPPORTED)
          + " Valid: " + String.join(", ", SUPPORTED));
    }
    return n;
  }

  /** @return the exit status of a process ended by SIG{@code name}: 128 + its number (SIGTERM 143, SIGINT 130) */
  public static int exitCode(String name) {
    return 128 + new Signal(name).getNumber();
  }

  private static void onSignal(Signal s) {
    String name = s.getName();
    long now = System.nanoTime();
    synchronized (LOCK) {
      if (signal == null) {
        signal = name;
        firstNanos = now;
      } else if (name.equals(signal) && now - firstNanos < TimeUnit.MILLISECONDS.toNanos(DUPLICATE_MS)) {
        return; // the same request delivered twice (terminal + forwarding parent, Slurm + batch shell)
      } else {
        exitNow(s);
        return;
      }
    }
    LOG.warn("SIG{}: stopping after the current step or batch{}; a second signal exits at once",
        name, checkpointOnStop ? " (training writes a checkpoint first)" : "");
    runListeners();
  }

  /**
   * Requests a stop as if SIG{@code name} had arrived (the first time; later calls do nothing).
   *
   * @param name a signal name, e.g. {@code TERM}
   */
  public static void request(String name) {
    synchronized (LOCK) {
      if (signal != null) {
        return;
      }
      signal = name;
      firstNanos = System.nanoTime();
    }
    runListeners();
  }

  private static void runListeners() {
    for (Runnable r : LISTENERS) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("stop listener failed", e);
      }
    }
  }

  /** Restores the default action of {@code s} and sends it to this process again: the kernel ends it. */
  private static void exitNow(Signal s) {
    LOG.warn("second signal (SIG{}): exiting at once", s.getName());
    System.out.flush();
    System.err.flush();
    int code = exitCode(s.getName());
    try {
      Signal.handle(s, SignalHandler.SIG_DFL);
      Process kill = new ProcessBuilder("kill", "-" + s.getName(), String.valueOf(ProcessHandle.current().pid()))
          .redirectErrorStream(true).start();
      kill.waitFor(5, TimeUnit.SECONDS);
      Thread.sleep(5000); // the kernel ends the process during this wait
    } catch (Exception e) {
      LOG.warn("could not re-send SIG{} ({}); halting", s.getName(), e.toString());
    }
    Runtime.getRuntime().halt(code);
  }

  /** @return whether a stop was requested */
  public static boolean requested() {
    return signal != null;
  }

  /** @return the name of the signal that requested the stop ({@code TERM}), or null */
  public static String signal() {
    return signal;
  }

  /** @return {@code run.checkpoint_on_stop}: whether training saves a checkpoint when it stops */
  public static boolean checkpointOnStop() {
    return checkpointOnStop;
  }

  /**
   * Throws when a stop was requested: call it at a safe point, after flushing what must survive.
   *
   * @throws StopRequested when a stop was requested
   */
  public static void check() {
    String s = signal;
    if (s != null) {
      throw new StopRequested(s, "stopped by SIG" + s);
    }
  }

  /**
   * Runs {@code r} on the signal handler's thread when a stop is requested (at once when one
   * already was); keep it short and non-blocking (wake a waiting thread, refuse new work).
   *
   * @return closing it removes the listener
   */
  public static AutoCloseable onStop(Runnable r) {
    LISTENERS.add(r);
    if (requested()) {
      r.run();
    }
    return () -> LISTENERS.remove(r);
  }

  /** Forgets a requested stop (tests that run several jobs in one JVM). */
  public static void reset() {
    synchronized (LOCK) {
      signal = null;
    }
  }
}
