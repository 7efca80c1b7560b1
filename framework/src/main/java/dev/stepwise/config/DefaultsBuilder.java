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
 * {@code model.tokenizer}); a leading {@code /} makes it absolute. {@code group@pkg} places the
 * content under {@code pkg} (relative to the file's package; {@code _global_} is the root), and
 * a {@code # @package PKG} header in an option file does the same for that file. A list of
 * options ({@code {tracker: [console, jsonl]}}) merges each option in order.
 *
 * <p>{@code override} entries (typically in an experiment file added with
 * {@code +experiment=NAME}) change the option another file chose; they are collected in one pass
 * and applied in the next, until nothing changes. Command-line group overrides win over them:
 * they swap ({@code g=opt}, {@code g=[a,b]}), drop ({@code g=null}, {@code ~g}) or append
 * ({@code +g=opt}, after the primary config's own content; {@code ++g=opt} swaps or appends).
 */
final class DefaultsBuilder {
  /** An option choice made by an {@code override} entry. */
  private record Choice(@Nullable List<String> options, boolean list, String at) {}

  private static final int MAX_PASSES = 8;
  private final ConfigSource source;
  private final Map<String, ConfigOverride> overrides = new LinkedHashMap<>();
  private final Map<String, Choice> fileOverrides;
  private final Map<String, Choice> collected = new LinkedHashMap<>();
  private final Set<String> used = new HashSet<>();
  private final Map<String, String> seen = new LinkedHashMap<>();
  private final List<DefaultsItem> items = new ArrayList<>();
  private final Map<String, String> choices = new LinkedHashMap<>();
  private final Map<String, List<String>> choiceLists = new LinkedHashMap<>();
  private final Deque<Path> stack = new ArrayDeque<>();

  private DefaultsBuilder(ConfigSource source, List<ConfigOverride> groupOverrides, Map<String, Choice> fileOverrides) {
    this.source = source;
    this.fileOverrides = fileOverrides;
    for (ConfigOverride o : groupOverrides) overrides.put(o.key(), o);
  }

  /**
   * @param source the conf root and primary file
   * @param groupOverrides overrides whose key is a config group (optionally {@code group@pkg})
   * @return the flattened defaults list
   * @throws UserError for unknown groups or options, duplicated groups, cycles, unused group
   *     overrides and {@code override} entries that match no group
   */
  static DefaultsList build(ConfigSource source, List<ConfigOverride> groupOverrides) {
    Map<String, Choice> fileOverrides = Map.of();
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      DefaultsBuilder b = new DefaultsBuilder(source, groupOverrides, fileOverrides);
      DefaultsList list = b.run();
      if (b.collected.equals(fileOverrides)) return list;
      fileOverrides = Map.copyOf(b.collected);
    }
    throw new UserError("The 'override' entries of the defaults lists never settle: each choice loads files that "
        + "override it differently");
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
    for (Map.Entry<String, Choice> e : collected.entrySet()) {
      if (seen.containsKey(e.getKey())) continue;
      throw new UserError("Could not override '" + e.getKey() + "' (" + e.getValue().at() + "): no match in the defaults "
          + "list." + DidYouMean.hint(e.getKey(), List.copyOf(seen.keySet())) + " Drop 'override' to add the group instead");
    }
    return new DefaultsList(List.copyOf(items), Collections.unmodifiableMap(new LinkedHashMap<>(choices)),
        Collections.unmodifiableMap(new LinkedHashMap<>(choiceLists)));
  }

  private String configPath(Path file) {
    for (Path dir : source.confRoot().dirs()) {
      if (file.startsWith(dir)) return ConfRoot.stripExt(dir.relativize(file).toString().replace('\\', '/'));
    }
    return ConfRoot.stripExt(file.getFileName().toString());
  }

  private void expand(Path file, String configPath, String group, String pkg, String parent, String base, boolean host) {
    if (stack.contains(file)) throw new UserError("Cycle in defaults lists: " + configPath + " includes itself");
    stack.push(file);
    Config content = HoconFiles.parse(file);
    List<DefaultsEntry> entries = DefaultsListParser.parse(content);
    Config own = content.withoutPath(DefaultsListParser.KEY).withoutPath(ConfRoot.SEARCHPATH_KEY);
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
    String key = g.packageOverride() == null ? groupPath : groupPath + "@" + g.packageOverride();
    String at = Origins.where(g.origin());
    if (g.override()) {
      Choice c = new Choice(g.options(), g.list(), at);
      Choice before = collected.putIfAbsent(key, c);
      if (before != null && !Objects.equals(before.options(), c.options())) {
        throw new UserError("Config group '" + key + "' is overridden twice in the defaults lists (" + before.at()
            + " and " + at + ")");
      }
      return;
    }
    String pkg = g.packageOverride() != null ? packageAt(parentPkg, g.packageOverride())
        : g.absolute() ? dotted(g.group()) : join(parentPkg, dotted(g.group()));
    markSeen(key, at);
    List<String> options = g.options();
    boolean list = g.list();
    String requestedAt = at;
    boolean optional = g.optional();
    Choice fromFile = fileOverrides.get(key);
    if (fromFile != null) {
      options = fromFile.options();
      list = fromFile.list();
      requestedAt = fromFile.at();
      optional = false;
    }
    ConfigOverride o = overrides.get(key);
    if (o != null && o.kind() == ConfigOverride.Kind.ADD) {
      throw new UserError("Could not add '" + o.text() + "': group '" + key + "' is already in the defaults list ("
          + at + ", option '" + render(options, list) + "'). Drop the '+' to override it: " + o.text().substring(1));
    }
    if (o != null) {
      used.add(key);
      if (o.kind() == ConfigOverride.Kind.DELETE) {
        if (o.value() != null && !Objects.equals(o.optionNames(groupPath), options)) {
          throw new UserError("Could not delete '" + o.text() + "': the option of '" + key + "' is '"
              + render(options, list) + "'");
        }
        return;
      }
      options = o.optionNames(groupPath);
      list = o.value() instanceof ParsedValue.ListValue;
      requestedAt = o.description();
      optional = false;
    }
    load(key, groupPath, options, list, pkg, g.packageOverride() != null, parent, requestedAt, optional);
  }

  private void appendAdds(String host) {
    for (ConfigOverride o : overrides.values()) {
      boolean add = o.kind() == ConfigOverride.Kind.ADD
          || (o.kind() == ConfigOverride.Kind.FORCE_ADD && !used.contains(o.key()));
      if (!add) continue;
      used.add(o.key());
      markSeen(o.key(), o.description());
      int at = o.key().indexOf('@');
      String groupPath = at < 0 ? o.key() : o.key().substring(0, at);
      String pkg = at < 0 ? dotted(groupPath) : packageAt("", o.key().substring(at + 1));
      load(o.key(), groupPath, o.optionNames(groupPath), o.value() instanceof ParsedValue.ListValue, pkg, at >= 0,
          host, o.description(), false);
    }
  }

  private void load(String key, String groupPath, List<String> options, boolean list, String pkg, boolean pkgExplicit,
      String parent, String requestedAt, boolean optional) {
    choices.put(key, options == null ? null : render(options, list));
    choiceLists.put(key, options == null ? List.of() : List.copyOf(options));
    if (options == null) return;
    for (String option : options) {
      if (optional && !source.confRoot().hasOption(groupPath, option)) continue;
      Path f = source.confRoot().optionFile(groupPath, option, requestedAt);
      String filePkg = pkg;
      String header = pkgExplicit ? null : HoconFiles.packageHeader(f);
      if (header != null) filePkg = headerPackage(header, groupPath, f);
      expand(f, groupPath + "/" + option, groupPath, filePkg, parent, groupPath, false);
    }
  }

  private static String headerPackage(String header, String groupPath, Path file) {
    if (header.equals("_global_")) return "";
    if (header.equals("_group_")) return dotted(groupPath);
    if (header.startsWith("_global_.")) return header.substring("_global_.".length());
    if (!header.matches("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*")) {
      throw new UserError("Bad '# @package " + header + "' header in " + Origins.relative(file.toString())
          + ": use _global_, _group_ or a dotted key");
    }
    return header;
  }

  /** {@code @pkg} of a defaults entry: relative to the parent's package; {@code _global_} is the root. */
  private static String packageAt(String parentPkg, String pkg) {
    if (pkg.equals("_global_")) return "";
    if (pkg.startsWith("_global_.")) return pkg.substring("_global_.".length());
    return join(parentPkg, pkg);
  }

  private static String render(List<String> options, boolean list) {
    if (options == null) return "null";
    return list ? "[" + String.join(", ", options) + "]" : options.get(0);
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
    return a.isEmpty() ? b : b.isEmpty() ? a : a + "." + b;
  }
}
