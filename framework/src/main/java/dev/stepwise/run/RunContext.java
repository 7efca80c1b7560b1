package dev.stepwise.run;

import dev.stepwise.config.ComposedConfig;

/**
 * What a job gets: its composed config, its run directory and the trackers to report to.
 *
 * @param config the composed, resolved config
 * @param dir the run directory (provenance already written)
 * @param tracker every configured tracker behind one interface
 */
public record RunContext(ComposedConfig config, RunDir dir, Tracker tracker) {}
