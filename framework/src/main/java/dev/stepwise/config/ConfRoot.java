package dev.stepwise.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The conf root directory: {@code config.conf} (root defaults) plus one directory per config
 * group; an option of group {@code g} is the file {@code <root>/g/<option>.conf}. Groups nest:
 * {@code api/vllm_params} is the directory {@code <root>/api/vllm_params}.
 */
public final class ConfRoot {
  /** File name of the root defaults, merged before the primary config. */
  public static final String ROOT_FILE = "config.conf";
  /** Extension of every config file. */
  public static final String EXT = ".conf";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*");
  private final Path dir;

  private ConfRoot(Path dir) {
    this.dir = dir;
  }

  /**
   * @param dir an explicit conf root (its {@code config.conf} is optional)
   * @throws UserError when {@code dir} is not a directory
   */
  public static ConfRoot of(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) throw new UserError("Config root '" + dir + "' is not a directory");
    return new ConfRoot(abs);
  }

  /**
   * @param configPath the primary config's directory
   * @return the nearest ancestor of {@code configPath} (itself included) holding {@code config.conf}
   * @throws UserError when there is none
   */
  public static ConfRoot find(Path configPath) {
    Path abs = configPath.toAbsolutePath().normalize();
    for (Path p = abs; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(ROOT_FILE))) return new ConfRoot(p);
    }
    throw new UserError("No " + ROOT_FILE + " in '" + configPath + "' or any parent directory; pass --config-root DIR");
  }

  /** @return the absolute, normalized conf root directory */
  public Path dir() {
    return dir;
  }

  /** @return {@code <root>/config.conf} when it exists */
  public Optional<Path> rootFile() {
    Path f = dir.resolve(ROOT_FILE);
    return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }

  /** @return whether {@code group} (e.g. {@code model}, {@code api/vllm_params}) is a directory */
  public boolean isGroup(String group) {
    return NAME.matcher(group).matches() && Files.isDirectory(dir.resolve(group));
  }

  /** @return the option names (file names without {@code .conf}) of a group, sorted */
  public List<String> options(String group) {
    if (!isGroup(group)) return List.of();
    try (Stream<Path> s = Files.list(dir.resolve(group))) {
      return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(EXT))
          .map(p -> stripExt(p.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return every group that holds at least one option, mapped to its sorted options */
  public TreeMap<String, List<String>> groups() {
    TreeMap<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path d : s.filter(Files::isDirectory).filter(p -> !p.equals(dir)).toList()) {
        String g = dir.relativize(d).toString().replace('\\', '/');
        List<String> opts = options(g);
        if (!opts.isEmpty()) out.put(g, opts);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * @param group a group name such as {@code model}
   * @param option an option name such as {@code gpt2_tiny}
   * @param requestedAt where the choice was made (for the message), e.g. {@code conf/x.conf:3}
   * @return the option's file
   * @throws UserError for an unknown group (with did-you-mean and the list of groups) or a
   *     missing option (with the list of available options)
   */
  public Path optionFile(String group, String option, String requestedAt) {
    if (!isGroup(group)) {
      List<String> groups = new ArrayList<>(groups().keySet());
      throw new UserError("Unknown config group '" + group + "' (" + requestedAt + ")." + DidYouMean.hint(group, groups)
          + " Available groups: " + String.join(", ", groups));
    }
    Path f = dir.resolve(group).resolve(option + EXT);
    if (!NAME.matcher(option).matches() || !Files.isRegularFile(f)) {
      List<String> opts = options(group);
      throw new UserError("Could not find '" + group + "/" + option + "' (" + requestedAt + ")."
          + DidYouMean.hint(option, opts) + " Available options in '" + group + "': " + String.join(", ", opts));
    }
    return f;
  }

  /** @return {@code name} without a trailing {@code .conf} */
  public static String stripExt(String name) {
    return name.endsWith(EXT) ? name.substring(0, name.length() - EXT.length()) : name;
  }
}
