package dev.stepwise.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A composed and resolved config, what a job receives: the Typesafe {@link Config}, how it was
 * composed (config name, overrides, group choices, conf root, defaults list) and typed binding.
 */
public final class ComposedConfig {
  private final Config config;
  private final Composition composition;
  private final List<String> commandLine;

  /**
   * @param config the resolved config
   * @param composition the unresolved composition it came from
   */
  public ComposedConfig(Config config, Composition composition) {
    this(config, composition, List.of());
  }

  private ComposedConfig(Config config, Composition composition, List<String> commandLine) {
    this.config = config;
    this.composition = composition;
    this.commandLine = List.copyOf(commandLine);
  }

  /**
   * @param commandLine the exact command that started this run (java, JVM options, class path,
   *     main class, then the program's arguments)
   * @return this config carrying the command line, for the run's provenance
   */
  public ComposedConfig withCommandLine(List<String> commandLine) {
    return new ComposedConfig(config, composition, commandLine);
  }

  /** @return the exact command that started this run; empty when not started from {@code Cli} */
  public List<String> commandLine() {
    return commandLine;
  }

  /** @return the resolved config; every value keeps its origin (file and line) */
  public Config config() {
    return config;
  }

  /** @return the config before resolution (as {@code --cfg job} prints it) */
  public Config unresolved() {
    return composition.config();
  }

  /** @return the primary config's name, e.g. {@code tiny_sft} ({@code config} when none) */
  public String configName() {
    return composition.source().configName();
  }

  /** @return the command-line overrides as given, in order */
  public List<String> overrides() {
    return composition.overrides().stream().map(ConfigOverride::text).toList();
  }

  /** @return config group to chosen option, e.g. {@code model -> gpt2_tiny}; null: no option */
  public Map<String, String> choices() {
    return composition.choices();
  }

  /**
   * @param group a group key such as {@code tracker}
   * @return the options chosen for it in merge order, e.g. {@code [console, jsonl]}; empty when
   *     the group is absent or {@code null}
   */
  public List<String> choiceList(String group) {
    return composition.choiceList(group);
  }

  /** @return the absolute conf root directory */
  public Path confRoot() {
    return composition.source().confRoot().dir();
  }

  /** @return the final defaults list (files in merge order) */
  public DefaultsList defaults() {
    return composition.defaults();
  }

  /** @return the unresolved composition this config was resolved from */
  public Composition composition() {
    return composition;
  }

  /**
   * Binds a subtree to a record (see {@link ConfigBinder#bind(Config, String, Class)}).
   *
   * @param path dotted key of the subtree, {@code ""} for the whole config
   * @param type the record (or other Jackson-bindable) type
   * @return the bound value
   * @throws UserError for unknown, missing or mistyped keys, with file:line and did-you-mean
   */
  public <T> T bind(String path, Class<T> type) {
    return ConfigBinder.bind(config, path, type);
  }

  /** @return {@code file:line} where {@code path} was set (see {@link Origins#where(Config, String)}) */
  public String where(String path) {
    return Origins.where(config, path);
  }

  /** @return the resolved config as HOCON text */
  public String render() {
    return ConfigRenderer.hocon(config);
  }
}
