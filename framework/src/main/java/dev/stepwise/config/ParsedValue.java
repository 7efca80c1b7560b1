package dev.stepwise.config;

import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command-line override value after parsing ({@link ValueParser}), before it becomes a
 * Typesafe {@code ConfigValue}.
 *
 * <p>{@link #toHocon()} renders every variant as HOCON text in which all strings are quoted, so
 * that {@code //} in a URL is never taken for a HOCON comment and {@code ${...}} parts stay real
 * substitutions, resolved with the rest of the config at the end.
 */
public sealed interface ParsedValue {

  /** @return HOCON text for this value (a JSON-compatible literal or a concatenation) */
  String toHocon();

  /** A number; {@code text} is a JSON number literal such as {@code 5}, {@code -0.5}, {@code 1e-5}. */
  record Num(String text) implements ParsedValue {
    @Override
    public String toHocon() {
      return text;
    }
  }

  /** {@code true} or {@code false}. */
  record Bool(boolean value) implements ParsedValue {
    @Override
    public String toHocon() {
      return Boolean.toString(value);
    }
  }

  /** {@code null}. */
  record Null() implements ParsedValue {
    @Override
    public String toHocon() {
      return "null";
    }
  }

  /** {@code ${path}} or {@code ${?path}} (optional: an environment variable or nothing). */
  record Interp(String path, boolean optional) implements ParsedValue {
    @Override
    public String toHocon() {
      return "${" + (optional ? "?" : "") + ConfigUtil.joinPath(List.of(path.split("\\."))) + "}";
    }
  }

  /**
   * A string made of literal parts ({@code String}) and interpolations ({@link Interp}); a single
   * interpolation alone keeps the referenced value's type.
   */
  record Text(List<Object> parts) implements ParsedValue {
    /** @return a plain literal string */
    public static Text of(String s) {
      return new Text(List.of(s));
    }

    /** @return whether this is one literal with no interpolation */
    public boolean isPlain() {
      return parts.size() == 1 && parts.get(0) instanceof String;
    }

    /** @return the literal when {@link #isPlain()}, else null */
    public String plain() {
      return isPlain() ? (String) parts.get(0) : null;
    }

    @Override
    public String toHocon() {
      if (parts.isEmpty()) return "\"\"";
      StringBuilder sb = new StringBuilder();
      for (Object p : parts) sb.append(p instanceof Interp i ? i.toHocon() : ConfigUtil.quoteString((String) p));
      return sb.toString();
    }
  }

  /** {@code [a, b, ...]}. */
  record ListValue(List<ParsedValue> items) implements ParsedValue {
    @Override
    public String toHocon() {
      List<String> out = new ArrayList<>();
      for (ParsedValue v : items) out.add(v.toHocon());
      return "[" + String.join(", ", out) + "]";
    }
  }

  /** {@code {k: v, ...}}; keys are literal (a dot in a key does not nest). */
  record MapValue(LinkedHashMap<String, ParsedValue> entries) implements ParsedValue {
    @Override
    public String toHocon() {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, ParsedValue> e : entries.entrySet()) {
        out.add(ConfigUtil.quoteString(e.getKey()) + ": " + e.getValue().toHocon());
      }
      return "{" + String.join(", ", out) + "}";
    }
  }
}
