package dev.stepwise.config;

/**
 * One parsed command-line override (Hydra grammar subset).
 *
 * <p>Forms: {@code key=value} ({@link Kind#SET}: the key must exist), {@code +key=value}
 * ({@link Kind#ADD}: it must not), {@code ++key=value} ({@link Kind#FORCE_ADD}: either),
 * {@code ~key} or {@code ~key=value} ({@link Kind#DELETE}: it must exist, and hold {@code value}
 * when given). When {@code key} names a config group ({@code model}, {@code api/vllm_params}) the
 * override chooses, adds or removes a group option instead of setting a value.
 *
 * @param kind the operation
 * @param key the dotted key or group name, e.g. {@code trainer.max_steps}, {@code model}
 * @param value the parsed value; null only for {@code ~key}
 * @param text the override exactly as given, used in messages and origins
 */
public record ConfigOverride(Kind kind, String key, @Nullable ParsedValue value, String text) {

  /** What an override does with its key. */
  public enum Kind {
    /** {@code key=value}. */
    SET,
    /** {@code +key=value}. */
    ADD,
    /** {@code ++key=value}. */
    FORCE_ADD,
    /** {@code ~key} or {@code ~key=value}. */
    DELETE
  }

  /** @return the origin description given to values set by this override */
  public String description() {
    return "command line override '" + text + "'";
  }

  /** @return the text after the key's {@code =}, e.g. {@code 5} for {@code a=5}; "" if none */
  public String valueText() {
    int i = text.indexOf('=');
    return i < 0 ? "" : text.substring(i + 1);
  }

  /**
   * @return the option names of a group override: one for {@code g=x}, several in order for
   *     {@code g=[x, y]}, null for {@code g=null}
   * @throws UserError when the value is not a name, a list of names or null
   */
  java.util.List<String> optionNames(String group) {
    if (value instanceof ParsedValue.ListValue l) {
      java.util.List<String> out = new java.util.ArrayList<>();
      for (ParsedValue v : l.items()) {
        String n = name(v);
        if (n == null) throw notAName(group);
        out.add(n);
      }
      return java.util.List.copyOf(out);
    }
    String n = optionName(group);
    return n == null ? null : java.util.List.of(n);
  }

  private static String name(ParsedValue v) {
    if (v instanceof ParsedValue.Text t && t.isPlain()) return t.plain();
    if (v instanceof ParsedValue.Num n) return n.text();
    return null;
  }

  private UserError notAName(String group) {
    return new UserError("Config group '" + group + "' takes an option name or a list of names, not " + valueText()
        + " (" + description() + ")");
  }

  /** @return the value when it is a plain string or null (an option name), else throws */
  String optionName(String group) {
    if (value instanceof ParsedValue.Null) return null;
    if (value instanceof ParsedValue.Text t && t.isPlain()) return t.plain();
    if (value instanceof ParsedValue.Num n) return n.text();
    throw new UserError("Config group '" + group + "' takes an option name, not " + valueText()
        + " (" + description() + ")");
  }
}
