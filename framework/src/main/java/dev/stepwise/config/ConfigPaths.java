package dev.stepwise.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Navigation in a (possibly unresolved) Typesafe config tree by key segments.
 *
 * <p>A path is a list of segments: {@code String} keys into objects and {@code Integer} indices
 * into lists. User-facing paths are dotted ({@code trainer.max_steps}) with {@code [i]} for list
 * elements ({@code data.files[2]}). Unlike {@code Config.hasPath}, navigation never throws on
 * unresolved substitutions elsewhere in the tree.
 */
public final class ConfigPaths {
  private ConfigPaths() {}

  /** @return the dotted key split at dots into String segments ({@code ""} gives no segment) */
  public static List<Object> split(String dotted) {
    if (dotted == null || dotted.isEmpty()) return List.of();
    return new ArrayList<>(Arrays.asList((Object[]) dotted.split("\\.", -1)));
  }

  /** @return the segments rendered as {@code a.b[2].c} */
  public static String render(List<Object> segments) {
    StringBuilder sb = new StringBuilder();
    for (Object s : segments) {
      if (s instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        if (sb.length() > 0) sb.append('.');
        sb.append(s);
      }
    }
    return sb.toString();
  }

  /** @return a Typesafe path expression for String segments, quoting keys as needed */
  public static String hoconPath(List<Object> segments) {
    List<String> keys = new ArrayList<>();
    for (Object s : segments) keys.add(String.valueOf(s));
    return ConfigUtil.joinPath(keys);
  }

  /**
   * @return the value at {@code segments} below {@code root} ({@code ConfigNull} for an explicit
   *     null), or Java {@code null} when absent
   * @throws ConfigException.NotResolved when an unresolved merge hides the answer
   */
  public static ConfigValue get(ConfigValue root, List<Object> segments) {
    ConfigValue cur = root;
    for (Object s : segments) {
      if (s instanceof Integer i) {
        if (!(cur instanceof ConfigList list) || i < 0 || i >= list.size()) return null;
        cur = list.get(i);
      } else {
        if (!(cur instanceof ConfigObject obj)) return null;
        cur = obj.get((String) s);
        if (cur == null) return null;
      }
    }
    return cur;
  }

  /** @return the value at the path, or at its longest existing prefix (never null for a root) */
  public static ConfigValue deepestExisting(ConfigValue root, List<Object> segments) {
    for (int n = segments.size(); n >= 0; n--) {
      try {
        ConfigValue v = get(root, segments.subList(0, n));
        if (v != null) return v;
      } catch (ConfigException.NotResolved e) {
        // an unresolved merge on the way: try a shorter prefix
      }
    }
    return root;
  }

  /** @return whether the path exists (an explicit null counts); unresolved merges count as yes */
  public static boolean exists(ConfigValue root, List<Object> segments) {
    try {
      return get(root, segments) != null;
    } catch (ConfigException.NotResolved e) {
      return true;
    }
  }

  /** @return every object key path in the tree (objects and leaves, not list elements), dotted */
  public static List<String> allKeys(ConfigObject root) {
    List<String> out = new ArrayList<>();
    collect(root, "", out);
    return out;
  }

  private static void collect(ConfigObject obj, String prefix, List<String> out) {
    try {
      for (String k : obj.keySet()) {
        String p = prefix.isEmpty() ? k : prefix + "." + k;
        out.add(p);
        if (obj.get(k) instanceof ConfigObject child) collect(child, p, out);
      }
    } catch (ConfigException.NotResolved e) {
      // unresolved merge: its keys are unknown until resolution
    }
  }
}
