package dev.stepwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code defaults} key of a config file (Hydra 1.1 defaults list in HOCON).
 *
 * <p>Grammar: {@code defaults = [ENTRY, ...]} where ENTRY is {@code _self_} or
 * {@code {[optional|override ]group[@pkg]: option|[option, ...]|null}}; {@code group} is
 * {@code name(/name)*}, optionally with a leading {@code /} (absolute group). Keys with {@code /} may be written unquoted in HOCON
 * ({@code {api/vllm_params: default}}); a dotted key such as {@code {a.b: x}} is a HOCON path and
 * is rejected with a hint to use {@code /}.
 */
public final class DefaultsListParser {
  /** The key holding the defaults list; removed from the composed config. */
  public static final String KEY = "defaults";
  private static final Pattern ENTRY_KEY =
      Pattern.compile("((?:(?:override|optional)\\s+)*)(/?)([A-Za-z0-9_\\-]+(?:/[A-Za-z0-9_\\-]+)*)(?:@([A-Za-z0-9_.]+))?");

  private DefaultsListParser() {}

  /**
   * @param content a parsed, unresolved config file
   * @return its defaults entries in order (empty when the file has no {@code defaults})
   * @throws UserError for a malformed list or entry, naming the file and line
   */
  public static List<DefaultsEntry> parse(Config content) {
    ConfigValue v = content.root().get(KEY);
    if (v == null) return List.of();
    if (!(v instanceof ConfigList list)) {
      throw new UserError("'defaults' must be a list (" + Origins.where(v) + "), e.g. defaults = [{model: gpt2_tiny}, _self_]");
    }
    List<DefaultsEntry> out = new ArrayList<>();
    boolean self = false;
    for (ConfigValue e : list) {
      DefaultsEntry entry = entry(e);
      if (entry instanceof DefaultsEntry.Self) {
        if (self) throw new UserError("'_self_' appears twice in the defaults list (" + Origins.where(e) + ")");
        self = true;
      }
      out.add(entry);
    }
    return out;
  }

  private static DefaultsEntry entry(ConfigValue e) {
    String at = Origins.where(e);
    if (e.valueType() == ConfigValueType.STRING) {
      if ("_self_".equals(e.unwrapped())) return new DefaultsEntry.Self(e.origin());
      throw new UserError("Unsupported defaults entry '" + e.unwrapped() + "' (" + at + "): use {group: option} or _self_");
    }
    if (!(e instanceof ConfigObject obj) || obj.size() != 1) {
      throw new UserError("Bad defaults entry " + e.render() + " (" + at + "): use {group: option}, {group: null} or _self_");
    }
    String key = obj.keySet().iterator().next();
    ConfigValue value = obj.get(key);
    if (value.valueType() == ConfigValueType.OBJECT) {
      throw new UserError("Bad defaults entry " + e.render() + " (" + at + "): a dotted key is a HOCON path; "
          + "write nested groups with '/', e.g. {\"a/b\": option}");
    }
    List<String> options;
    boolean isList = false;
    if (value.valueType() == ConfigValueType.NULL) {
      options = null;
    } else if (value.valueType() == ConfigValueType.STRING) {
      options = List.of((String) value.unwrapped());
    } else if (value instanceof ConfigList l) {
      isList = true;
      options = new ArrayList<>();
      for (ConfigValue item : l) {
        if (item.valueType() != ConfigValueType.STRING) {
          throw new UserError("Bad defaults entry " + e.render() + " (" + at + "): a list of options holds names only");
        }
        options.add((String) item.unwrapped());
      }
      options = List.copyOf(options);
    } else {
      throw new UserError("Bad defaults entry " + e.render() + " (" + at + "): the option must be a name, a list of names or null");
    }
    Matcher m = ENTRY_KEY.matcher(key.trim());
    if (!m.matches()) throw new UserError("Bad group name '" + key + "' in defaults (" + at + ")");
    boolean override = m.group(1).contains("override");
    boolean optional = m.group(1).contains("optional");
    String pkg = m.group(4);
    return new DefaultsEntry.Group(m.group(3), options, isList, !m.group(2).isEmpty(), pkg, optional, override, e.origin());
  }
}
