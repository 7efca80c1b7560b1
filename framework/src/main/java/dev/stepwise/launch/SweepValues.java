package dev.stepwise.launch;

import dev.stepwise.config.ConfRoot;
import dev.stepwise.config.UserError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Expands the value of one sweep override into its values, as text: {@code 1,2,3};
 * {@code range(start, stop[, step])} (stop excluded, step 1 by default, floats exact in decimal:
 * {@code range(0,1,0.25)} is {@code 0, 0.25, 0.5, 0.75}); {@code choice(a, b)}; {@code glob(pat)}
 * over the options of a config group ({@code *} and {@code ?}); {@code zip(...)} around any of
 * these couples the key with the other zipped keys (they move together instead of forming a
 * product). Quotes, brackets and braces protect commas ({@code a='1,2'}, {@code a=[1,2]}).
 */
final class SweepValues {
  /** @param values the values as override text @param zip whether written as {@code zip(...)} */
  record Dim(List<String> values, boolean zip) {}

  private SweepValues() {}

  /** @return whether {@code value} is a sweep (top-level comma or a sweep function) */
  static boolean isSweep(String value) {
    String v = value.strip();
    return split(v).size() > 1 || fn(v, "range") != null || fn(v, "choice") != null || fn(v, "glob") != null
        || fn(v, "zip") != null;
  }

  /**
   * @param key the override's key (a group for {@code glob})
   * @param value the text after {@code =}
   * @param root the search path, for {@code glob}
   * @param override the whole override, for messages
   * @return the values in order
   * @throws UserError for a malformed function, an empty result or {@code glob} on a non-group
   */
  static Dim expand(String key, String value, ConfRoot root, String override) {
    String v = value.strip();
    String inner = fn(v, "zip");
    if (inner != null) return new Dim(expand(key, inner, root, override).values(), true);
    List<String> out;
    if ((inner = fn(v, "range")) != null) {
      out = range(split(inner), override);
    } else if ((inner = fn(v, "choice")) != null) {
      out = split(inner);
    } else if ((inner = fn(v, "glob")) != null) {
      out = glob(key, inner.strip(), root, override);
    } else {
      out = split(v);
    }
    if (out.isEmpty()) throw new UserError("Sweep '" + override + "' has no values");
    return new Dim(out, false);
  }

  private static String fn(String v, String name) {
    if (v.startsWith(name + "(") && v.endsWith(")")) return v.substring(name.length() + 1, v.length() - 1);
    return null;
  }

  private static List<String> range(List<String> args, String override) {
    if (args.size() < 2 || args.size() > 3) {
      throw new UserError("Bad sweep '" + override + "': range(start, stop[, step]) takes 2 or 3 numbers");
    }
    try {
      BigDecimal start = new BigDecimal(args.get(0).strip());
      BigDecimal stop = new BigDecimal(args.get(1).strip());
      BigDecimal step = args.size() == 3 ? new BigDecimal(args.get(2).strip()) : BigDecimal.ONE;
      if (step.signum() == 0) throw new UserError("Bad sweep '" + override + "': range step is 0");
      List<String> out = new ArrayList<>();
      for (BigDecimal x = start; step.signum() > 0 ? x.compareTo(stop) < 0 : x.compareTo(stop) > 0; x = x.add(step)) {
        out.add(x.stripTrailingZeros().toPlainString());
        if (out.size() > 100_000) throw new UserError("Bad sweep '" + override + "': range has over 100000 values");
      }
      return out;
    } catch (NumberFormatException e) {
      throw new UserError("Bad sweep '" + override + "': range(start, stop[, step]) takes numbers, got " + args);
    }
  }

  private static List<String> glob(String key, String pattern, ConfRoot root, String override) {
    String group = key.replaceFirst("^\\+*", "");
    int at = group.indexOf('@');
    if (at >= 0) group = group.substring(0, at);
    if (!root.isGroup(group)) {
      throw new UserError("Bad sweep '" + override + "': glob() selects options of a config group, and '" + group
          + "' is not one. Groups: " + String.join(", ", root.groups().keySet()));
    }
    Pattern p = Pattern.compile(pattern.replace(".", "\\.").replace("*", ".*").replace("?", "."));
    List<String> out = root.options(group).stream().filter(o -> p.matcher(o).matches()).toList();
    if (out.isEmpty()) {
      throw new UserError("Bad sweep '" + override + "': glob(" + pattern + ") matches no option of '" + group
          + "'. Options: " + String.join(", ", root.options(group)));
    }
    return out;
  }

  /** @return {@code s} split at top-level commas (outside quotes, brackets, braces, parentheses), trimmed */
  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\' && i + 1 < s.length()) {
          cur.append(c).append(s.charAt(++i));
          continue;
        }
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '{' || c == '(') {
        depth++;
      } else if (c == ']' || c == '}' || c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(cur.toString().strip());
        cur.setLength(0);
        continue;
      }
      cur.append(c);
    }
    if (!cur.toString().isBlank() || !out.isEmpty()) out.add(cur.toString().strip());
    return out;
  }
}
