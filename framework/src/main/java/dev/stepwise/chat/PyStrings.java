package dev.stepwise.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Python's {@code str} methods as Hugging Face chat templates call them ({@code
 * message.content.strip()}, {@code .split('</think>')}, ...), with CPython's semantics: {@code
 * split(sep)} splits on the literal separator (not a regular expression, as Java's {@code
 * String.split} would), {@code strip(chars)} removes any of {@code chars}, {@code title()}
 * capitalises every run of letters. Jinja itself exposes these methods because its values are
 * Python strings; {@link PyMethodResolver} routes a template's method calls on strings here.
 *
 * <p>Whitespace is Python's {@code str.isspace()} set, approximated as Java whitespace plus the
 * Unicode space separators and U+0085.
 */
final class PyStrings {
  private PyStrings() {}

  static boolean isSpace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
  }

  /** {@code s.strip(chars)}, {@code lstrip}, {@code rstrip}: {@code chars} null = whitespace. */
  static String strip(String s, String chars, boolean left, boolean right) {
    int from = 0;
    int to = s.length();
    while (left && from < to && stripped(s.charAt(from), chars)) {
      from++;
    }
    while (right && to > from && stripped(s.charAt(to - 1), chars)) {
      to--;
    }
    return s.substring(from, to);
  }

  private static boolean stripped(char c, String chars) {
    return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
  }

  /** {@code s.startswith(prefix)} where prefix is a string or a tuple/list of strings. */
  static boolean startsWith(String s, Object prefix, boolean end) {
    if (prefix instanceof Collection<?> options) {
      for (Object o : options) {
        if (startsWith(s, o, end)) {
          return true;
        }
      }
      return false;
    }
    String p = str(prefix, end ? "endswith" : "startswith");
    return end ? s.endsWith(p) : s.startsWith(p);
  }

  /**
   * {@code s.split(sep, maxsplit)}: with {@code sep} null, runs of whitespace separate and
   * leading/trailing whitespace yields no empty pieces; otherwise the literal separator, empty
   * pieces kept.
   *
   * @throws IllegalArgumentException for an empty separator (Python's ValueError)
   */
  static List<String> split(String s, String sep, int maxsplit) {
    List<String> out = new ArrayList<>();
    if (sep == null) {
      int i = 0;
      int n = s.length();
      while (true) {
        while (i < n && isSpace(s.charAt(i))) {
          i++;
        }
        if (i >= n) {
          return out;
        }
        if (maxsplit >= 0 && out.size() == maxsplit) {
          out.add(strip(s.substring(i), null, false, true));
          return out;
        }
        int j = i;
        while (j < n && !isSpace(s.charAt(j))) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      }
    }
    if (sep.isEmpty()) {
      throw new IllegalArgumentException("ValueError: empty separator");
    }
    int from = 0;
    int at;
    while ((maxsplit < 0 || out.size() < maxsplit) && (at = s.indexOf(sep, from)) >= 0) {
      out.add(s.substring(from, at));
      from = at + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  /** {@code s.title()}: the first cased letter of every run of letters upper, the rest lower. */
  static String title(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean prevCased = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      boolean letter = Character.isLetter(c);
      b.appendCodePoint(letter ? (prevCased ? Character.toLowerCase(c) : Character.toTitleCase(c)) : c);
      prevCased = letter;
      i += Character.charCount(c);
    }
    return b.toString();
  }

  /** {@code s.capitalize()}: the first character upper, the rest lower. */
  static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int first = s.codePointAt(0);
    int n = Character.charCount(first);
    return new StringBuilder().appendCodePoint(Character.toTitleCase(first)).append(s.substring(n).toLowerCase(Locale.ROOT)).toString();
  }

  /** {@code s.replace(old, new, count)}; count &lt; 0 = all. */
  static String replace(String s, String old, String with, int count) {
    StringBuilder b = new StringBuilder();
    int done = 0;
    if (old.isEmpty()) {
      // Python inserts the replacement before every character and at the end
      for (int i = 0; i <= s.length(); i++) {
        if (count < 0 || done < count) {
          b.append(with);
          done++;
        }
        if (i < s.length()) {
          b.append(s.charAt(i));
        }
      }
      return b.toString();
    }
    int from = 0;
    for (int at = s.indexOf(old); at >= 0 && (count < 0 || done < count); at = s.indexOf(old, from)) {
      b.append(s, from, at).append(with);
      from = at + old.length();
      done++;
    }
    return b.append(s.substring(from)).toString();
  }

  /** {@code sep.join(items)}: every item must be a string, as in Python. */
  static String join(String sep, Object items) {
    if (!(items instanceof Iterable<?> it)) {
      throw new IllegalArgumentException("TypeError: join() argument must be an iterable of strings");
    }
    List<String> parts = new ArrayList<>();
    for (Object o : it) {
      parts.add(str(o, "join"));
    }
    return String.join(sep, parts);
  }

  /** {@code s.count(sub)}: non-overlapping occurrences. */
  static int count(String s, String sub) {
    if (sub.isEmpty()) {
      return s.length() + 1;
    }
    int n = 0;
    for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
      n++;
    }
    return n;
  }

  /** @return {@code o} as a string argument; TypeError otherwise */
  static String str(Object o, String method) {
    if (o instanceof CharSequence cs) {
      return cs.toString();
    }
    throw new IllegalArgumentException(
        "TypeError: " + method + "() expects a string argument, got " + (o == null ? "None" : o.getClass().getSimpleName()));
  }
}
