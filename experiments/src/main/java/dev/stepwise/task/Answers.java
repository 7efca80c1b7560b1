package dev.stepwise.task;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Final-answer extraction and numeric comparison for GSM8K-style completions.
 *
 * <p><b>Extraction</b> ({@link #extract}), first rule that applies:
 *
 * <ol>
 *   <li>the last {@code ####} marker (GSM8K's final line): the first number after it on its line;
 *   <li>else the last {@code The answer is} (any case): the first number after it on its line;
 *   <li>else the last line starting with {@code A:} (the format of GSM8K's example model
 *       solutions): the first number after it;
 *   <li>else the last number anywhere in the text.
 * </ol>
 *
 * When a marker is present but no number follows it on its line (e.g. a generation cut off after
 * {@code "#### "}), there is no answer: a stated but unreadable answer is not replaced by a guess.
 *
 * <p><b>Numbers</b>: an optional minus sign (directly before the digits or the {@code $}, and
 * only when not glued to a preceding word or number, so {@code 16-3} and {@code 16 - 3} read as
 * 16 and 3), an optional {@code $}, digits with optional thousands
 * commas ({@code 1,000}; {@code 3,4} is two numbers), an optional decimal part; a trailing
 * {@code %} or {@code .} is ignored. The canonical form is the plain decimal string without
 * commas, {@code $}, {@code %} or trailing zeros: {@code "$1,000.50"} → {@code "1000.5"}, {@code
 * "7.0"} → {@code "7"}, {@code "-3"} → {@code "-3"}.
 *
 * <p><b>Comparison</b> ({@link #equal}): numerically exact ({@link BigDecimal#compareTo}) when
 * both sides are numbers, else trimmed string equality. This is the GSM8K evaluation of the
 * reference implementations (exact match of the final number).
 */
public final class Answers {
  /** A number as it appears in text; group 1: sign, group 2: the digits. */
  static final Pattern NUMBER =
      Pattern.compile(
          "(?<![\\w)\\]])(-)?(?:\\$[ ]?)?((?:\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+)(?:\\.\\d+)?|\\.\\d+)");

  private static final Pattern HASHES = Pattern.compile("####");
  private static final Pattern ANSWER_IS = Pattern.compile("(?i)the answer is");
  private static final Pattern A_COLON = Pattern.compile("(?m)^[ \\t]*A:");

  private Answers() {}

  /**
   * @param text a model completion or a reference solution
   * @return the canonical final answer (see the class doc), or empty when there is none
   */
  public static Optional<String> extract(String text) {
    for (Pattern marker : new Pattern[] {HASHES, ANSWER_IS, A_COLON}) {
      int end = lastEnd(marker, text);
      if (end >= 0) {
        int eol = text.indexOf('\n', end);
        String rest = text.substring(end, eol < 0 ? text.length() : eol);
        Matcher m = NUMBER.matcher(rest);
        return m.find() ? Optional.of(canonicalOf(m)) : Optional.empty();
      }
    }
    Matcher m = NUMBER.matcher(text);
    String last = null;
    while (m.find()) {
      last = canonicalOf(m);
    }
    return Optional.ofNullable(last);
  }

  private static int lastEnd(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int end = -1;
    while (m.find()) {
      end = m.end();
    }
    return end;
  }

  /**
   * Parses one answer string (a label such as {@code "1,000"}, {@code "$18"}, {@code "-3"},
   * {@code "7.0"}, {@code "50%"}); the whole string, trimmed, must be one number.
   *
   * @return its canonical form, or empty when it is not a number
   */
  public static Optional<String> canonical(String raw) {
    String s = raw.trim();
    while (s.endsWith(".") || s.endsWith("%")) {
      s = s.substring(0, s.length() - 1).trim();
    }
    Matcher m = NUMBER.matcher(s);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(canonicalOf(m));
  }

  /** @return the value of a canonical or raw answer string, or empty when not a number */
  public static Optional<BigDecimal> value(String raw) {
    return canonical(raw).map(BigDecimal::new);
  }

  /**
   * @param predicted an answer as extracted from a completion
   * @param label the gold answer
   * @return true when both are numbers of equal value, or (when either is not a number) when they
   *     are equal strings after trimming
   */
  public static boolean equal(String predicted, String label) {
    Optional<BigDecimal> a = value(predicted);
    Optional<BigDecimal> b = value(label);
    if (a.isPresent() && b.isPresent()) {
      return a.get().compareTo(b.get()) == 0;
    }
    return predicted.trim().equals(label.trim());
  }

  private static String canonicalOf(Matcher m) {
    String digits = m.group(2).replace(",", "");
    BigDecimal v = new BigDecimal(digits.startsWith(".") ? "0" + digits : digits);
    if (m.group(1) != null) {
      v = v.negate();
    }
    v = v.stripTrailingZeros();
    if (v.signum() == 0) {
      return "0";
    }
    return v.toPlainString().toLowerCase(Locale.ROOT);
  }
}
