package dev.stepwise.launch;

import dev.stepwise.config.Nullable;
import java.util.Map;

/**
 * The framework's {@code sweep.*} section, bound strictly.
 *
 * @param dir the sweep directory; null for {@code multirun/<config-name>/<date>/<time>/}
 * @param params sweep parameters, key to sweep text ({@code "optim.lr" = "1e-4,3e-4"}) or list;
 *     null or empty for none
 */
public record SweepSettings(@Nullable String dir, @Nullable Map<String, Object> params) {}
