package dev.stepwise.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the value part of a command-line override (our own grammar, a subset of Hydra's; raw
 * values are never given to the HOCON parser, where {@code //} starts a comment).
 *
 * <ul>
 *   <li>integers {@code 5}, {@code -3}, {@code 1_000} (a leading zero such as {@code 007} makes a
 *       string);
 *   <li>floats {@code 0.5}, {@code .5}, {@code 1.}, {@code 1e-5}, {@code -2.5E3};
 *   <li>{@code true}/{@code false} and {@code null} (any case);
 *   <li>quoted strings {@code 'a b'} or {@code "a b"} with escapes {@code \n \t \r \\ \' \" \$};
 *   <li>lists {@code [1, 2, 'a']} and maps {@code {a: 1, b: [2]}}, nested, with the same
 *       element grammar;
 *   <li>interpolations {@code ${a.b}}, {@code ${?ENV_VAR}}, alone or inside a string
 *       ({@code http://${host}:8000/v1});
 *   <li>anything else is a literal string, trimmed ({@code http://host:8000/v1}, {@code a b}).
 * </ul>
 *
 * A top-level comma is a sweep ({@code a=1,2}), which needs {@code --multirun} (not supported yet).
 */
public final class ValueParser {
  private static final Pattern INT = Pattern.compile("[+-]?(0|[1-9](_?[0-9])*)");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?([0-9](_?[0-9])*\\.?([0-9](_?[0-9])*)?|\\.[0-9](_?[0-9])*)([eE][+-]?[0-9]+)?");
  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  private static final Pattern INTERP_PATH = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");

  private final String s;
  private final String override;
  private int pos;

  private ValueParser(String s, String override) {
    this.s = s;
    this.override = override;
  }

  /**
   * @param value the text after {@code =}
   * @param override the whole override, for messages
   * @return the parsed value
   * @throws UserError on a syntax error (unterminated quote or bracket, bad interpolation, sweep)
   */
  public static ParsedValue parse(String value, String override) {
    ValueParser p = new ValueParser(value, override);
    p.skipWs();
    if (p.pos == p.s.length()) return ParsedValue.Text.of("");
    ParsedValue v = p.element(true);
    p.skipWs();
    if (p.pos < p.s.length()) {
      if (p.s.charAt(p.pos) == ',') {
        throw new UserError("Override '" + override + "' is a sweep (top-level ','), which needs --multirun (-m). "
            + "To pass a literal string, quote it: " + quoteHint(override));
      }
      throw p.error("unexpected '" + p.s.charAt(p.pos) + "'");
    }
    return v;
  }

  private static String quoteHint(String override) {
    int i = override.indexOf('=');
    return override.substring(0, i + 1) + "'" + override.substring(i + 1) + "'";
  }

  private ParsedValue element(boolean top) {
    skipWs();
    if (pos >= s.length()) throw error("missing value");
    char c = s.charAt(pos);
    if (c == '[') return list();
    if (c == '{') return map();
    if (c == '\'' || c == '"') return quoted();
    return unquoted(top);
  }

  private ParsedValue list() {
    pos++;
    List<ParsedValue> items = new ArrayList<>();
    skipWs();
    if (peek() == ']') {
      pos++;
      return new ParsedValue.ListValue(items);
    }
    while (true) {
      items.add(element(false));
      skipWs();
      char c = peek();
      pos++;
      if (c == ']') return new ParsedValue.ListValue(items);
      if (c != ',') throw error("expected ',' or ']'");
    }
  }

  private ParsedValue map() {
    pos++;
    LinkedHashMap<String, ParsedValue> entries = new LinkedHashMap<>();
    skipWs();
    if (peek() == '}') {
      pos++;
      return new ParsedValue.MapValue(entries);
    }
    while (true) {
      skipWs();
      String key = mapKey();
      skipWs();
      if (peek() != ':') throw error("expected ':' after key '" + key + "'");
      pos++;
      entries.put(key, element(false));
      skipWs();
      char c = peek();
      pos++;
      if (c == '}') return new ParsedValue.MapValue(entries);
      if (c != ',') throw error("expected ',' or '}'");
    }
  }

  private String mapKey() {
    char c = peek();
    if (c == '\'' || c == '"') {
      ParsedValue.Text t = quoted();
      if (!t.isPlain()) throw error("a map key cannot hold an interpolation");
      return t.plain();
    }
    int start = pos;
    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "_-./".indexOf(s.charAt(pos)) >= 0)) pos++;
    if (pos == start) throw error("expected a map key");
    return s.substring(start, pos);
  }

  private ParsedValue.Text quoted() {
    char q = s.charAt(pos++);
    List<Object> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    while (true) {
      if (pos >= s.length()) throw error("unterminated quoted string");
      char c = s.charAt(pos);
      if (c == q) {
        pos++;
        break;
      }
      if (c == '\\' && pos + 1 < s.length()) {
        lit.append(escape(s.charAt(pos + 1)));
        pos += 2;
      } else if (c == '$' && s.startsWith("${", pos)) {
        flush(lit, parts);
        parts.add(interpolation());
      } else {
        lit.append(c);
        pos++;
      }
    }
    flush(lit, parts);
    return new ParsedValue.Text(parts.isEmpty() ? List.of("") : parts);
  }

  private static String escape(char n) {
    return switch (n) {
      case 'n' -> "\n";
      case 't' -> "\t";
      case 'r' -> "\r";
      case '\\', '\'', '"', '$' -> String.valueOf(n);
      default -> "\\" + n;
    };
  }

  private ParsedValue unquoted(boolean top) {
    List<Object> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ',' || (!top && (c == ']' || c == '}'))) break;
      if (c == '$' && s.startsWith("${", pos)) {
        flush(lit, parts);
        parts.add(interpolation());
      } else {
        lit.append(c);
        pos++;
      }
    }
    if (!parts.isEmpty() && parts.get(parts.size() - 1) instanceof ParsedValue.Interp && lit.toString().isBlank()) {
      lit.setLength(0);
    }
    String tail = lit.toString();
    lit.setLength(0);
    lit.append(parts.isEmpty() ? tail.strip() : tail.stripTrailing());
    flush(lit, parts);
    if (parts.isEmpty()) throw error("missing value");
    if (parts.size() == 1 && parts.get(0) instanceof ParsedValue.Interp i) return new ParsedValue.Text(List.of(i));
    if (parts.size() == 1 && parts.get(0) instanceof String word) return scalar(word);
    return new ParsedValue.Text(parts);
  }

  private static ParsedValue scalar(String w) {
    if (w.equalsIgnoreCase("true") || w.equalsIgnoreCase("false")) return new ParsedValue.Bool(Boolean.parseBoolean(w.toLowerCase()));
    if (w.equalsIgnoreCase("null")) return new ParsedValue.Null();
    if (INT.matcher(w).matches()) return new ParsedValue.Num(w.replace("_", "").replaceFirst("^\\+", ""));
    if (FLOAT.matcher(w).matches() && w.matches(".*[.eE].*")) return new ParsedValue.Num(jsonFloat(w));
    return ParsedValue.Text.of(w);
  }

  private static String jsonFloat(String w) {
    String t = w.replace("_", "").replaceFirst("^\\+", "");
    t = t.replaceFirst("^(-?)\\.", "$10.").replaceFirst("\\.($|[eE])", ".0$1");
    return JSON_NUMBER.matcher(t).matches() ? t : Double.toString(Double.parseDouble(t));
  }

  private ParsedValue.Interp interpolation() {
    int end = s.indexOf('}', pos);
    if (end < 0) throw error("unterminated interpolation '${'");
    String body = s.substring(pos + 2, end).trim();
    pos = end + 1;
    boolean optional = body.startsWith("?");
    String path = optional ? body.substring(1).trim() : body;
    if (path.contains(":")) {
      throw error("resolvers such as ${" + body + "} are not supported; use ${?NAME} for an environment variable");
    }
    if (!INTERP_PATH.matcher(path).matches()) throw error("bad interpolation ${" + body + "}");
    return new ParsedValue.Interp(path, optional);
  }

  private static void flush(StringBuilder lit, List<Object> parts) {
    if (lit.length() > 0) parts.add(lit.toString());
    lit.setLength(0);
  }

  private char peek() {
    if (pos >= s.length()) throw error("unexpected end of value");
    return s.charAt(pos);
  }

  private void skipWs() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
  }

  private UserError error(String what) {
    return new UserError("Invalid value in override '" + override + "': " + what + " at position " + pos + " of '" + s + "'");
  }
}
