package dev.stepwise.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The documented source rewrite that lets jinjava parse Python Jinja's syntax where its
 * expression parser differs. Applied to a template's text once, before jinjava sees it; it
 * changes only the code inside {@code {{ }}} and {@code {% %}} (never text, comments, string
 * literals or {@code {% raw %}} blocks) and adds no line breaks, so jinjava's line numbers stay
 * those of the original template.
 *
 * <ol>
 *   <li><b>Extended slices.</b> {@code seq[start:stop:step]} (three parts, e.g. {@code
 *       messages[::-1]}) becomes {@code seq.__py_slice__(start, stop, step)} (an empty part is
 *       {@code none}), answered by {@link PyMethodResolver} with Python's rules. Two-part slices
 *       {@code [a:b]} are jinjava's own and stay.
 *   <li><b>Keyword arguments.</b> {@code f(name=value)} becomes {@code f(name=(value))}: jinjava
 *       parses {@code =} at the precedence of {@code +}, so {@code namespace(i=messages|length -
 *       1)} would otherwise subtract 1 from the keyword argument itself (Qwen3's template does
 *       this). Macro signatures are left alone.
 *   <li><b>{@code lstrip_blocks}.</b> Spaces and tabs from the start of a line up to a block or
 *       comment tag are removed here, as Jinja does (not after other text on the line, and not for
 *       {@code {%+}); jinjava's own option, which strips before every tag, stays off.
 *   <li><b>Dict literals.</b> A space goes between two closing braces in code ({@code {'d': {}}}
 *       to {@code {'d': {} }}) and around an expression that starts or ends with a brace, because
 *       jinjava's scanner ends {@code {{ ... }}} at the first {@code }}}.
 *   <li><b>Trailing newline.</b> One trailing newline of the source is removed, as Jinja's
 *       default {@code keep_trailing_newline=False} does; {@link JinjaEngine} turns off jinjava's
 *       variant, which strips the rendered output's last newline instead (wrong when the template
 *       prints one, e.g. Qwen3's final {@code '<|im_end|>\n'}).
 * </ol>
 */
final class TemplateSource {
  private static final Pattern KEYWORD = Pattern.compile("^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=)(?!=)(.*)$", Pattern.DOTALL);
  private static final Pattern FIRST_WORD = Pattern.compile("^[-+]?\\s*([A-Za-z_]+)");

  private TemplateSource() {}

  /** @return the template text jinjava should parse */
  static String rewrite(String template) {
    String src = template;
    if (src.endsWith("\r\n")) {
      src = src.substring(0, src.length() - 2);
    } else if (src.endsWith("\n") || src.endsWith("\r")) {
      src = src.substring(0, src.length() - 1);
    }
    StringBuilder out = new StringBuilder(src.length() + 64);
    int i = 0;
    boolean raw = false;
    while (i < src.length()) {
      int open = src.indexOf('{', i);
      if (open < 0 || open + 1 >= src.length()) {
        out.append(src, i, src.length());
        break;
      }
      char kind = src.charAt(open + 1);
      if (kind != '{' && kind != '%' && kind != '#') {
        out.append(src, i, open + 1);
        i = open + 1;
        continue;
      }
      out.append(lstrip(src, i, open, kind, raw));
      String close = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
      int end = kind == '#' ? src.indexOf(close, open + 2) : codeEnd(src, open + 2, close);
      if (end < 0) {
        out.append(src.substring(open)); // unterminated: jinjava reports it
        break;
      }
      String code = src.substring(open + 2, end);
      String word = firstWord(code);
      if (kind == '#' || (raw && !(kind == '%' && word.equals("endraw")))) {
        out.append(src, open, end + 2);
      } else {
        raw = kind == '%' && word.equals("raw");
        boolean macro = kind == '%' && word.equals("macro");
        String body = code.startsWith("+") ? code.substring(1) : code; // {%+: lstrip off, done above
        body = macro ? body : rewriteCode(body);
        // jinjava's scanner ends an expression at the first "}}", even a dict literal's
        body = (body.startsWith("{") ? " " : "") + body + (body.endsWith("}") ? " " : "");
        out.append(src.charAt(open)).append(kind).append(body).append(close);
      }
      i = end + 2;
    }
    return out.toString();
  }

  /**
   * Jinja's {@code lstrip_blocks}: spaces and tabs between the start of a line and a block or
   * comment tag are removed, unless the tag opens with {@code +} or {@code -}. (jinjava's own
   * option strips them before any tag, even after text on the same line, so it stays off.)
   *
   * @return the text {@code src[from, to)} that precedes a tag of {@code kind}
   */
  private static String lstrip(String src, int from, int to, char kind, boolean raw) {
    String text = src.substring(from, to);
    if (raw || kind == '{' || to + 2 >= src.length() || src.charAt(to + 2) == '+' || src.charAt(to + 2) == '-') {
      return text;
    }
    int nl = text.lastIndexOf('\n');
    if (nl < 0 && from > 0) {
      return text; // the line started before the previous tag
    }
    for (int k = nl + 1; k < text.length(); k++) {
      if (text.charAt(k) != ' ' && text.charAt(k) != '\t') {
        return text;
      }
    }
    return text.substring(0, nl + 1);
  }

  private static String firstWord(String code) {
    Matcher m = FIRST_WORD.matcher(code);
    return m.find() ? m.group(1) : "";
  }

  /**
   * @return the index of {@code close} ending the code that starts at {@code from}, outside
   *     string literals and brackets (so a dict literal's {@code }} } does not end an expression)
   */
  private static int codeEnd(String s, int from, String close) {
    int depth = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        i = stringEnd(s, i);
      } else if (depth == 0 && s.startsWith(close, i)) {
        return i;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
        depth--;
      }
    }
    return -1;
  }

  /** @return the index of the quote closing the literal that opens at {@code at} (or the end) */
  private static int stringEnd(String s, int at) {
    char q = s.charAt(at);
    for (int i = at + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == q) {
        return i;
      }
    }
    return s.length() - 1;
  }

  /** Rewrites one expression (or tag body): brackets and parentheses, recursively. */
  static String rewriteCode(String code) {
    StringBuilder out = new StringBuilder(code.length() + 16);
    int i = 0;
    while (i < code.length()) {
      char c = code.charAt(i);
      if (c == '\'' || c == '"') {
        int e = stringEnd(code, i);
        out.append(code, i, e + 1);
        i = e + 1;
      } else if (c == '[' || c == '(') {
        int e = matching(code, i);
        if (e < 0) {
          out.append(code.substring(i));
          break;
        }
        List<String> parts = splitTopLevel(code.substring(i + 1, e), c == '[' ? ':' : ',');
        if (c == '[' && parts.size() == 3 && isPostfix(out)) {
          out.append('.').append(PyMethodResolver.SLICE).append('(');
          for (int k = 0; k < 3; k++) {
            String p = rewriteCode(parts.get(k));
            out.append(k > 0 ? ", " : "").append(p.isBlank() ? "none" : p);
          }
          out.append(')');
        } else {
          out.append(c);
          for (int k = 0; k < parts.size(); k++) {
            out.append(k > 0 ? (c == '[' ? ":" : ",") : "").append(c == '(' ? keyword(parts.get(k)) : rewriteCode(parts.get(k)));
          }
          out.append(code.charAt(e));
        }
        i = e + 1;
      } else {
        if (c == '}' && out.length() > 0 && out.charAt(out.length() - 1) == '}') {
          out.append(' '); // "}}" would end the expression in jinjava's scanner
        }
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** {@code name=value} to {@code name=(value)}; anything else rewritten as it is. */
  private static String keyword(String arg) {
    Matcher m = KEYWORD.matcher(arg);
    if (!m.matches() || m.group(2).isBlank()) {
      return rewriteCode(arg);
    }
    String value = m.group(2);
    int lead = 0;
    while (lead < value.length() && Character.isWhitespace(value.charAt(lead))) {
      lead++;
    }
    return m.group(1) + value.substring(0, lead) + "(" + rewriteCode(value.substring(lead)) + ")";
  }

  /** True when the text before a {@code [} ends a value (a name, a call, a subscript, a literal): a subscript, not a list. */
  private static boolean isPostfix(CharSequence before) {
    for (int i = before.length() - 1; i >= 0; i--) {
      char c = before.charAt(i);
      if (!Character.isWhitespace(c)) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ')' || c == ']' || c == '\'' || c == '"';
      }
    }
    return false;
  }

  /** @return the index of the bracket closing the one at {@code at}, or -1 */
  private static int matching(String s, int at) {
    int depth = 0;
    for (int i = at; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        i = stringEnd(s, i);
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (--depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Splits at {@code sep} outside nested brackets and string literals. */
  private static List<String> splitTopLevel(String s, char sep) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        i = stringEnd(s, i);
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == sep && depth == 0) {
        parts.add(s.substring(from, i));
        from = i + 1;
      }
    }
    parts.add(s.substring(from));
    return parts;
  }
}
