package dev.stepwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Composes a config the Hydra way: walk the defaults lists ({@link DefaultsBuilder}), merge the
 * files in order with each group option's content under its package ({@code {model: gpt2_tiny}}
 * puts {@code conf/model/gpt2_tiny.conf} under {@code model}), then apply the value overrides
 * ({@link OverrideApplier}). Merging is deep for objects; lists and scalars are replaced by the
 * later value. Nothing is resolved here: see {@link Composition#resolve(java.util.Map)}.
 */
public final class Composer {
  private Composer() {}

  /**
   * @param source the conf root and primary config
   * @param overrides parsed overrides; those whose key is a config group directory (no dots,
   *     e.g. {@code model}, {@code api/vllm_params}) choose group options, unless their value is
   *     a map ({@code trainer={max_steps: 9}} merges into the values); the others set values
   * @return the unresolved composition
   * @throws UserError for any problem in the files, defaults lists or overrides
   */
  public static Composition compose(ConfigSource source, List<ConfigOverride> overrides) {
    List<ConfigOverride> groups = new ArrayList<>();
    List<ConfigOverride> values = new ArrayList<>();
    for (ConfigOverride o : overrides) (isGroupOverride(source.confRoot(), o) ? groups : values).add(o);
    DefaultsList defaults = DefaultsBuilder.build(source, groups);
    Config merged = ConfigFactory.empty();
    for (DefaultsItem item : defaults.items()) merged = place(item).withFallback(merged);
    return new Composition(OverrideApplier.apply(merged, values), source, defaults, List.copyOf(overrides));
  }

  /**
   * Convenience for code and tests: locate, compose and resolve with the process environment.
   *
   * @param configPath the primary config's directory
   * @param configName the primary config's name (with or without {@code .conf}), or null
   * @param overrides command-line style overrides
   * @return the resolved config
   * @throws UserError for any user error
   */
  public static ComposedConfig load(Path configPath, String configName, String... overrides) {
    ConfigSource src = ConfigSource.locate(configPath, configName, null);
    return compose(src, OverrideParser.parseAll(Arrays.asList(overrides))).resolve();
  }

  /** A group key with anything but a map value chooses an option; {@code group={k: v}} merges values. */
  private static boolean isGroupOverride(ConfRoot root, ConfigOverride o) {
    int at = o.key().indexOf('@');
    return root.isGroup(at < 0 ? o.key() : o.key().substring(0, at)) && !(o.value() instanceof ParsedValue.MapValue);
  }

  private static Config place(DefaultsItem item) {
    if (item.pkg().isEmpty()) return item.content();
    return item.content().atPath(ConfigPaths.hoconPath(ConfigPaths.split(item.pkg())));
  }
}
