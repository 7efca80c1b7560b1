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
  private final List<String> program;
  private final List<String> commandLine;

  /**
   * @param config the resolved config
   * @param composition the unresolved composition it came from
   */
  public ComposedConfig(Config config, Composition composition) {
    this(config, composition, List.of(), List.of());
  }

  private ComposedConfig(Config config, Composition composition, List<String> program, List<String> commandLine) {
    this.config = config;
    this.composition = composition;
    this.program = List.copyOf(program);
    this.commandLine = List.copyOf(commandLine);
  }

  /**
   * @param program how this JVM was started: java, JVM options, then {@code -jar JAR} or
   *     {@code -cp CLASSPATH MAIN}
   * @param args the program's arguments
   * @return this config carrying the command line, for the run's provenance
   */
  public ComposedConfig withCommandLine(List<String> program, List<String> args) {
    List<String> all = new java.util.ArrayList<>(program);
    all.addAll(args);
    return new ComposedConfig(config, composition, program, all);
  }

  /** @return how this JVM was started (without the program's arguments); empty when not from {@code Cli} */
  public List<String> program() {
    return program;
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
