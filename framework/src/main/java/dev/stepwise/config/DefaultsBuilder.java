package dev.stepwise.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Walks the defaults lists (Hydra 1.1 semantics) into a flat {@link DefaultsList}.
 *
 * <p>Order: {@code config.conf}'s tree, then the primary config's tree. In each file, entries are
 * expanded depth first in order and the file's own content goes where {@code _self_} stands
 * (last when absent). A group in a group file is relative to that file's group and package
 * ({@code {tokenizer: x}} in {@code model/gpt2.conf} is group {@code model/tokenizer}, package
 * {@code model.tokenizer}); a leading {@code /} makes it absolute. Group overrides from the
 * command line swap ({@code g=opt}), drop ({@code g=null}, {@code ~g}) or append ({@code +g=opt},
 * after the primary config's own content; {@code ++g=opt} swaps or appends).
 */
final class DefaultsBuilder {
  private final ConfigSource source;
  private final Map<String, ConfigOverride> overrides = new LinkedHashMap<>();
  private final Set<String> used = new HashSet<>();
  private final Map<String, String> seen = new LinkedHashMap<>();
  private final List<DefaultsItem> items = new ArrayList<>();
  private final Map<String, String> choices = new LinkedHashMap<>();
  private final Deque<Path> stack = new ArrayDeque<>();

  private DefaultsBuilder(ConfigSource source, List<ConfigOverride> groupOverrides) {
    this.source = source;
    for (ConfigOverride o : groupOverrides) overrides.put(o.key(), o);
  }

  /**
   * @param source the conf root and primary file
   * @param groupOverrides overrides whose key is a config group
   * @return the flattened defaults list
   * @throws UserError for unknown groups or options, duplicated groups, cycles and unused
   *     group overrides
   */
  static DefaultsList build(ConfigSource source, List<ConfigOverride> groupOverrides) {
    return new DefaultsBuilder(source, groupOverrides).run();
  }

  private DefaultsList run() {
    ConfRoot root = source.confRoot();
    Path rootFile = root.rootFile().orElse(null);
    Path primary = source.primaryFile();
    boolean hasPrimary = primary != null && !primary.equals(rootFile);
    if (rootFile != null) expand(rootFile, "config", null, "", null, "", !hasPrimary);
    if (hasPrimary) expand(primary, configPath(primary), null, "", null, "", true);
    if (rootFile == null && !hasPrimary) appendAdds(null);
    for (ConfigOverride o : overrides.values()) {
      if (used.contains(o.key())) continue;
      if (o.kind() == ConfigOverride.Kind.DELETE) {
        throw new UserError("Could not delete '" + o.text() + "': group '" + o.key() + "' is not in the defaults list");
      }
      throw new UserError("Could not override '" + o.key() + "'. No match in the defaults list. "
          + "To append to your defaults list use +" + o.text());
    }
    return new DefaultsList(List.copyOf(items), Collections.unmodifiableMap(new LinkedHashMap<>(choices)));
  }

  private String configPath(Path file) {
    Path dir = source.confRoot().dir();
    String rel = file.startsWith(dir) ? dir.relativize(file).toString().replace('\\', '/') : file.getFileName().toString();
    return ConfRoot.stripExt(rel);
  }

  private void expand(Path file, String configPath, String group, String pkg, String parent, String base, boolean host) {
    if (stack.contains(file)) throw new UserError("Cycle in defaults lists: " + configPath + " includes itself");
    stack.push(file);
    Config content = HoconFiles.parse(file);
    List<DefaultsEntry> entries = DefaultsListParser.parse(content);
    Config own = content.withoutPath(DefaultsListParser.KEY);
    DefaultsItem self = new DefaultsItem(configPath, group, pkg, file.toAbsolutePath().normalize(), parent, own);
    boolean selfPlaced = false;
    for (DefaultsEntry e : entries) {
      if (e instanceof DefaultsEntry.Self) {
        items.add(self);
        selfPlaced = true;
      } else {
        group((DefaultsEntry.Group) e, pkg, base, configPath);
      }
    }
    if (!selfPlaced) items.add(self);
    if (host) appendAdds(configPath);
    stack.pop();
  }

  private void group(DefaultsEntry.Group g, String parentPkg, String base, String parent) {
    String groupPath = g.absolute() || base.isEmpty() ? g.group() : base + "/" + g.group();
    String pkg = g.absolute() ? dotted(g.group()) : join(parentPkg, dotted(g.group()));
    String at = Origins.where(g.origin());
    markSeen(groupPath, at);
    String option = g.option();
    String requestedAt = at;
    ConfigOverride o = overrides.get(groupPath);
    if (o != null && o.kind() == ConfigOverride.Kind.ADD) {
      throw new UserError("Could not add '" + o.text() + "': group '" + groupPath + "' is already in the defaults list ("
          + at + ", option '" + option + "'). Drop the '+' to override it: " + o.text().substring(1));
    }
    if (o != null) {
      used.add(groupPath);
      if (o.kind() == ConfigOverride.Kind.DELETE) {
        if (o.value() != null && !Objects.equals(o.optionName(groupPath), option)) {
          throw new UserError("Could not delete '" + o.text() + "': the option of '" + groupPath + "' is '" + option + "'");
        }
        return;
      }
      option = o.optionName(groupPath);
      requestedAt = o.description();
    }
    load(groupPath, option, pkg, parent, requestedAt);
  }

  private void appendAdds(String host) {
    for (ConfigOverride o : overrides.values()) {
      boolean add = o.kind() == ConfigOverride.Kind.ADD
          || (o.kind() == ConfigOverride.Kind.FORCE_ADD && !used.contains(o.key()));
      if (!add) continue;
      used.add(o.key());
      markSeen(o.key(), o.description());
      load(o.key(), o.optionName(o.key()), dotted(o.key()), host, o.description());
    }
  }

  private void load(String groupPath, String option, String pkg, String parent, String requestedAt) {
    choices.put(groupPath, option);
    if (option == null) return;
    Path f = source.confRoot().optionFile(groupPath, option, requestedAt);
    expand(f, groupPath + "/" + option, groupPath, pkg, parent, groupPath, false);
  }

  private void markSeen(String groupPath, String at) {
    String before = seen.putIfAbsent(groupPath, at);
    if (before != null) {
      throw new UserError("Config group '" + groupPath + "' appears twice in the defaults list (" + before + " and " + at
          + "). Choose it once, and change it on the command line with " + groupPath + "=OPTION");
    }
  }

  private static String dotted(String group) {
    return group.replace('/', '.');
  }

  private static String join(String a, String b) {
    return a.isEmpty() ? b : a + "." + b;
  }
}
