package dev.stepwise.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses command-line overrides: {@code [+|++]key=value}, {@code ~key[=value]}.
 *
 * <p>A key is {@code name(.name)*} where a name is letters, digits, {@code _}, {@code -} and
 * {@code /} (group names such as {@code api/vllm_params}). Values follow {@link ValueParser}.
 * {@code group@package=option} chooses the option of a group placed under another package.
 */
public final class OverrideParser {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-/]+(\\.[A-Za-z0-9_\\-/]+)*");

  private static final Pattern GROUP_AT = Pattern.compile("[A-Za-z0-9_\\-/]+@[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

  private OverrideParser() {}

  /**
   * @param overrides the overrides as given on the command line
   * @return the parsed overrides, in order
   * @throws UserError for the first malformed override
   */
  public static List<ConfigOverride> parseAll(List<String> overrides) {
    List<ConfigOverride> out = new ArrayList<>();
    for (String o : overrides) out.add(parse(o));
    return out;
  }

  /**
   * @param text one override, e.g. {@code optim.lr=1e-5}, {@code +trainer.max_steps=50},
   *     {@code ~data.limit}, {@code model=gpt2_small}
   * @return the parsed override
   * @throws UserError when the text is not an override (with the expected forms)
   */
  public static ConfigOverride parse(String text) {
    String t = text.strip();
    ConfigOverride.Kind kind;
    String rest;
    if (t.startsWith("~")) {
      kind = ConfigOverride.Kind.DELETE;
      rest = t.substring(1);
    } else if (t.startsWith("++")) {
      kind = ConfigOverride.Kind.FORCE_ADD;
      rest = t.substring(2);
    } else if (t.startsWith("+")) {
      kind = ConfigOverride.Kind.ADD;
      rest = t.substring(1);
    } else {
      kind = ConfigOverride.Kind.SET;
      rest = t;
    }
    int eq = rest.indexOf('=');
    if (eq < 0 && kind != ConfigOverride.Kind.DELETE) {
      throw new UserError("Invalid override '" + text + "': expected key=value, +key=value, ++key=value or ~key");
    }
    String key = (eq < 0 ? rest : rest.substring(0, eq)).strip();
    int at = key.indexOf('@');
    if (at >= 0 && (!GROUP_AT.matcher(key).matches())) {
      throw new UserError("Invalid override '" + text + "': bad 'group@package' key '" + key
          + "' (a group name, '@', then a package such as teacher or _global_.teacher)");
    }
    if (at < 0 && !KEY.matcher(key).matches()) {
      throw new UserError("Invalid override '" + text + "': bad key '" + key
          + "' (use letters, digits, '_', '-', '/' and '.' between names)");
    }
    ParsedValue value = eq < 0 ? null : ValueParser.parse(rest.substring(eq + 1), text);
    return new ConfigOverride(kind, key, value, t);
  }
}
