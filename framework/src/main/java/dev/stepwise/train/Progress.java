package dev.stepwise.train;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The console progress bar of a training run (me.tongfei progressbar, on standard error), or
 * nothing when {@code trainer.progress_bar = false}. Without a terminal (CI, redirected output)
 * the bar still works, with carriage returns, refreshed every 5 s instead of every 0.5 s to keep
 * logs small.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  /**
   * @param enabled false for no output at all
   * @param start steps already done (resume)
   * @param max total steps
   */
  Progress(boolean enabled, long start, long max) {
    bar = enabled
        ? new ProgressBarBuilder()
            .setTaskName("train")
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(System.console() != null ? 500 : 5000)
            .setUnit(" steps", 1)
            .showSpeed()
            .startsFrom(start, Duration.ZERO)
            .build()
        : null;
  }

  /** Moves to {@code step} and shows {@code message} (e.g. the last loss) after the bar. */
  void update(long step, String message) {
    if (bar != null) {
      bar.stepTo(step);
      bar.setExtraMessage(" " + message);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
