package dev.stepwise.reward.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks GSM8K calculator annotations {@code <<expr=result>>shown}: the step passes when every
 * annotation's expression evaluates to its result and the number written right after {@code >>}
 * equals that result (to a relative 1e-4). A step without annotations passes. Expressions use
 * {@code + - * /}, parentheses, decimals and unary minus; anything else (e.g. {@code x}, units)
 * fails the check.
 */
public final class CalculatorCheck {
  private static final Pattern ANNOTATION = Pattern.compile("<<([^<>=]*)=([^<>]*)>>\\s*\\$?([-\\d.,]*)");

  private CalculatorCheck() {}

  /** @return true when every annotation of {@code step} is consistent (see the class doc) */
  public static boolean passes(String step) {
    Matcher m = ANNOTATION.matcher(step);
    while (m.find()) {
      Double value = evaluate(m.group(1));
      Double result = number(m.group(2));
      Double shown = number(m.group(3));
      if (value == null || result == null || shown == null || !close(value, result) || !close(shown, result)) {
        return false;
      }
    }
    return true;
  }

  private static boolean close(double a, double b) {
    return Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
  }

  private static Double number(String s) {
    String t = s.replace(",", "").trim();
    while (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      return t.isEmpty() ? null : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** @return the value of an arithmetic expression, or null when it does not parse */
  static Double evaluate(String expr) {
    Parser p = new Parser(expr.replace(" ", "").replace(",", ""));
    try {
      double v = p.sum();
      return p.at == p.s.length() ? v : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Recursive descent: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*. */
  private static final class Parser {
    final String s;
    int at;

    Parser(String s) {
      this.s = s;
    }

    double sum() {
      double v = product();
      while (at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
        char op = s.charAt(at++);
        double r = product();
        v = op == '+' ? v + r : v - r;
      }
      return v;
    }

    double product() {
      double v = unary();
      while (at < s.length() && (s.charAt(at) == '*' || s.charAt(at) == '/')) {
        char op = s.charAt(at++);
        double r = unary();
        v = op == '*' ? v * r : v / r;
      }
      return v;
    }

    double unary() {
      if (at < s.length() && s.charAt(at) == '-') {
        at++;
        return -unary();
      }
      if (at < s.length() && s.charAt(at) == '(') {
        at++;
        double v = sum();
        if (at >= s.length() || s.charAt(at) != ')') {
          throw new IllegalArgumentException("unbalanced");
        }
        at++;
        return v;
      }
      int start = at;
      while (at < s.length() && (Character.isDigit(s.charAt(at)) || s.charAt(at) == '.')) {
        at++;
      }
      return Double.parseDouble(s.substring(start, at));
    }
  }
}
