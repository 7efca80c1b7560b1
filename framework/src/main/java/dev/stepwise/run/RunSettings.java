package dev.stepwise.run;

import dev.stepwise.config.Nullable;
import java.util.List;

/**
 * The framework's {@code run.*} section, bound strictly (an unknown key under {@code run} is a
 * user error with did-you-mean).
 *
 * @param dir the run directory; null for {@code outputs/<config-name>/<date>/<time>/}
 * @param numThreads libtorch intra-op threads; 0 or less means the number of cores
 * @param stopSignals the signals that stop the run cleanly ({@link StopSignals}; names from
 *     {@link StopSignals#SUPPORTED}); null (absent) for {@code [TERM, INT]}
 * @param checkpointOnStop whether a training run writes a checkpoint when it stops on a signal;
 *     null (absent) for true
 */
public record RunSettings(@Nullable String dir, int numThreads, @Nullable List<String> stopSignals,
    @Nullable Boolean checkpointOnStop) {}
