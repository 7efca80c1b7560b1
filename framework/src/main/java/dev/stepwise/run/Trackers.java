package dev.stepwise.run;

import java.util.List;
import java.util.Map;

/** Fans every call out to several trackers, in order. */
public final class Trackers implements Tracker {
  private final List<Tracker> trackers;

  /** @param trackers the trackers; closed by {@link #close()} */
  public Trackers(List<Tracker> trackers) {
    this.trackers = List.copyOf(trackers);
  }

  @Override
  public void log(long step, Map<String, ?> metrics) {
    for (Tracker t : trackers) {
      t.log(step, metrics);
    }
  }

  @Override
  public void summary(Map<String, ?> values) {
    for (Tracker t : trackers) {
      t.summary(values);
    }
  }

  @Override
  public void fail(Throwable error) {
    for (Tracker t : trackers) {
      t.fail(error);
    }
  }

  @Override
  public void close() {
    for (Tracker t : trackers) {
      t.close();
    }
  }
}
