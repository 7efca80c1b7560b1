/**
 * Run management: the run directory and its provenance files ({@code config.conf}, {@code
 * overrides.txt}, {@code git.txt}, {@code env.txt}, {@code run.log}), and the metric trackers
 * (console lines, {@code metrics.jsonl}) behind the {@link dev.stepwise.run.Tracker} interface.
 */
package dev.stepwise.run;
