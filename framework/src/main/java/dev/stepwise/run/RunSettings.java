package dev.stepwise.run;

import dev.stepwise.config.Nullable;

/**
 * The framework's {@code run.*} section, bound strictly (an unknown key under {@code run} is a
 * user error with did-you-mean).
 *
 * @param dir the run directory; null for {@code outputs/<config-name>/<date>/<time>/}
 * @param numThreads libtorch intra-op threads; 0 or less means the number of cores
 */
public record RunSettings(@Nullable String dir, int numThreads) {}
