package dev.stepwise.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a composition starts: the conf root and the primary config file.
 *
 * @param confRoot the conf root (groups and {@code config.conf})
 * @param primaryFile {@code <configPath>/<configName>.conf}, or null when no config name was
 *     given (then only {@code config.conf} and the overrides are composed)
 * @param configName the config name without {@code .conf} ({@code "config"} when none was given)
 */
public record ConfigSource(ConfRoot confRoot, @Nullable Path primaryFile, String configName) {

  /**
   * Locates the primary config like Hydra's {@code --config-path/--config-name}.
   *
   * @param configPath the directory of the primary config ({@code -cp}), e.g.
   *     {@code conf/exp/sft/arith}
   * @param configName the primary config's name ({@code -cn}), with or without {@code .conf};
   *     may contain {@code /} to reach a sub-directory; null for none
   * @param confRootOverride an explicit conf root ({@code --config-root}); null to search the
   *     nearest ancestor of {@code configPath} holding {@code config.conf}
   * @throws UserError when the directory or the file does not exist (with did-you-mean and the
   *     configs available in that directory)
   */
  public static ConfigSource locate(Path configPath, @Nullable String configName, @Nullable Path confRootOverride) {
    return locate(configPath, configName, confRootOverride, List.of());
  }

  /**
   * {@link #locate(Path, String, Path)} with extra config directories ({@code -cd DIR}) searched
   * before the conf root, and the {@code searchpath = [DIR, ...]} lists of the root and primary
   * configs (relative to the file that names them) searched after it.
   *
   * @param configDirs directories searched first for group options, in order
   * @throws UserError as {@link #locate(Path, String, Path)}, or for a search-path entry that is
   *     not a directory
   */
  public static ConfigSource locate(Path configPath, @Nullable String configName, @Nullable Path confRootOverride,
      List<Path> configDirs) {
    ConfigSource s = locateFile(configPath, configName, confRootOverride);
    List<Path> after = new java.util.ArrayList<>();
    s.confRoot().rootFile().ifPresent(f -> after.addAll(searchPath(f)));
    if (s.primaryFile() != null && !s.confRoot().rootFile().map(s.primaryFile()::equals).orElse(false)) {
      after.addAll(searchPath(s.primaryFile()));
    }
    if (configDirs.isEmpty() && after.isEmpty()) return s;
    return new ConfigSource(s.confRoot().withSearchPath(configDirs, after, "-cd or searchpath"), s.primaryFile(),
        s.configName());
  }

  private static List<Path> searchPath(Path file) {
    try {
      if (!Files.readString(file).contains(ConfRoot.SEARCHPATH_KEY)) return List.of(); // skip a second parse
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    com.typesafe.config.Config c = HoconFiles.parse(file);
    if (!c.hasPath(ConfRoot.SEARCHPATH_KEY)) return List.of();
    try {
      return c.getStringList(ConfRoot.SEARCHPATH_KEY).stream().map(d -> file.getParent().resolve(d)).toList();
    } catch (com.typesafe.config.ConfigException e) {
      throw new UserError("'searchpath' must be a list of directories (" + Origins.where(c, ConfRoot.SEARCHPATH_KEY) + ")");
    }
  }

  private static ConfigSource locateFile(Path configPath, @Nullable String configName, @Nullable Path confRootOverride) {
    if (!Files.isDirectory(configPath)) {
      throw new UserError("Config path '" + Origins.relative(configPath.toString()) + "' is not a directory");
    }
    ConfRoot root = confRootOverride != null ? ConfRoot.of(confRootOverride) : ConfRoot.find(configPath);
    if (configName == null || configName.isBlank()) return new ConfigSource(root, null, "config");
    String name = ConfRoot.stripExt(configName.trim());
    Path file = configPath.resolve(name + ConfRoot.EXT).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      List<String> names = available(configPath);
      throw new UserError("Cannot find primary config '" + name + "' in '" + Origins.relative(configPath.toString()) + "'."
          + DidYouMean.hint(name, names) + " Available: " + (names.isEmpty() ? "(none)" : String.join(", ", names)));
    }
    return new ConfigSource(root, file, name);
  }

  private static List<String> available(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ConfRoot.EXT))
          .map(ConfRoot::stripExt).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
