package dev.stepwise.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The config search path: the conf root directory ({@code config.conf}, the root defaults, plus
 * one directory per config group), preceded by {@code -cd DIR} directories and followed by the
 * {@code searchpath} directories of the root and primary configs. An option of group {@code g}
 * is the file {@code <dir>/g/<option>.conf} of the first directory that has it. Groups nest:
 * {@code api/vllm_params} is the directory {@code <dir>/api/vllm_params}.
 */
public final class ConfRoot {
  /** File name of the root defaults, merged before the primary config. */
  public static final String ROOT_FILE = "config.conf";
  /** Extension of every config file. */
  public static final String EXT = ".conf";
  /** Key of the list of extra search-path directories in the root or primary config. */
  public static final String SEARCHPATH_KEY = "searchpath";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*");
  private final Path dir;
  private final List<Path> dirs;

  private ConfRoot(Path dir, List<Path> dirs) {
    this.dir = dir;
    this.dirs = List.copyOf(dirs);
  }

  /**
   * @param dir an explicit conf root (its {@code config.conf} is optional)
   * @throws UserError when {@code dir} is not a directory
   */
  public static ConfRoot of(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) throw new UserError("Config root '" + dir + "' is not a directory");
    return new ConfRoot(abs, List.of(abs));
  }

  /**
   * @param configPath the primary config's directory
   * @return the nearest ancestor of {@code configPath} (itself included) holding {@code config.conf}
   * @throws UserError when there is none
   */
  public static ConfRoot find(Path configPath) {
    Path abs = configPath.toAbsolutePath().normalize();
    for (Path p = abs; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(ROOT_FILE))) return new ConfRoot(p, List.of(p));
    }
    throw new UserError("No " + ROOT_FILE + " in '" + configPath + "' or any parent directory; pass --config-root DIR");
  }

  /**
   * @param before directories searched before the conf root ({@code -cd DIR}), in order
   * @param after directories searched after it ({@code searchpath} in the configs), in order
   * @param where what named them, for the error message
   * @return this root with the extra directories
   * @throws UserError when one of them is not a directory
   */
  public ConfRoot withSearchPath(List<Path> before, List<Path> after, String where) {
    List<Path> all = new ArrayList<>();
    for (Path p : before) all.add(checked(p, where));
    all.addAll(dirs);
    for (Path p : after) all.add(checked(p, where));
    return new ConfRoot(dir, all.stream().distinct().toList());
  }

  private static Path checked(Path p, String where) {
    Path abs = p.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new UserError("Search path entry '" + Origins.relative(abs.toString()) + "' (" + where + ") is not a directory");
    }
    return abs;
  }

  /** @return the absolute, normalized conf root directory */
  public Path dir() {
    return dir;
  }

  /** @return every search-path directory, in search order (the conf root included) */
  public List<Path> dirs() {
    return dirs;
  }

  /** @return {@code <root>/config.conf} when it exists */
  public Optional<Path> rootFile() {
    Path f = dir.resolve(ROOT_FILE);
    return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }

  /** @return whether {@code group} (e.g. {@code model}, {@code api/vllm_params}) is a directory */
  public boolean isGroup(String group) {
    if (!NAME.matcher(group).matches()) return false;
    for (Path d : dirs) if (Files.isDirectory(d.resolve(group))) return true;
    return false;
  }

  /** @return whether {@code group} has the option {@code option} in some search-path directory */
  public boolean hasOption(String group, String option) {
    return find(group, option) != null;
  }

  private Path find(String group, String option) {
    if (!NAME.matcher(group).matches() || !NAME.matcher(option).matches()) return null;
    for (Path d : dirs) {
      Path f = d.resolve(group).resolve(option + EXT);
      if (Files.isRegularFile(f)) return f;
    }
    return null;
  }

  /** @return the option names (file names without {@code .conf}) of a group, sorted, over the search path */
  public List<String> options(String group) {
    if (!isGroup(group)) return List.of();
    TreeSet<String> out = new TreeSet<>();
    for (Path d : dirs) {
      if (!Files.isDirectory(d.resolve(group))) continue;
      try (Stream<Path> s = Files.list(d.resolve(group))) {
        s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(EXT))
            .forEach(p -> out.add(stripExt(p.getFileName().toString())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(out);
  }

  /** @return every group that holds at least one option, mapped to its sorted options */
  public TreeMap<String, List<String>> groups() {
    TreeMap<String, List<String>> out = new TreeMap<>();
    for (Path root : dirs) {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path d : s.filter(Files::isDirectory).filter(p -> !p.equals(root)).toList()) {
          String g = root.relativize(d).toString().replace('\\', '/');
          List<String> opts = options(g);
          if (!opts.isEmpty()) out.put(g, opts);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
    Path f = find(group, option);
    if (f == null) {
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
