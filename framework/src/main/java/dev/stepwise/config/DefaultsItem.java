package dev.stepwise.config;

import com.typesafe.config.Config;
import java.nio.file.Path;

/**
 * One config file in the final, flattened defaults list, in merge order.
 *
 * @param configPath the config's name below the conf root without {@code .conf}, e.g.
 *     {@code config}, {@code model/gpt2_tiny}, {@code exp/sft/arith/tiny_sft}
 * @param group the config group it was chosen from, or null for the root and primary configs
 * @param pkg the package (dotted key) its content is placed under; {@code ""} for the root
 * @param file the file's absolute path
 * @param parent the {@code configPath} of the config whose defaults list chose it, or null
 * @param content the file's unresolved content without its {@code defaults} key
 */
public record DefaultsItem(String configPath, @Nullable String group, String pkg, Path file,
    @Nullable String parent, Config content) {}
