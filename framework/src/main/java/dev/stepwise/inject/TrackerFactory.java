package dev.stepwise.inject;

import dev.stepwise.run.RunDir;
import dev.stepwise.run.Tracker;

/** Makes a {@link Tracker} for a run; registered by name ({@code console}, {@code jsonl}, {@code wandb}). */
@FunctionalInterface
public interface TrackerFactory {
  /** @return a tracker writing into (or about) {@code run} */
  Tracker create(RunDir run);
}
