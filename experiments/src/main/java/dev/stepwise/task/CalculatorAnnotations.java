package dev.stepwise.task;

import java.util.regex.Pattern;

/**
 * GSM8K's calculator annotations: {@code 48/2 = <<48/2=24>>24} marks the expression and result
 * that a calculator computed when the solution was written (Cobbe et al. 2021, section 2).
 * The reference SFT data keeps them in the targets; {@link #strip} removes them.
 */
public final class CalculatorAnnotations {
  private static final Pattern ANNOTATION = Pattern.compile("<<[^<>\\n]*>>");

  private CalculatorAnnotations() {}

  /**
   * @return {@code text} without its {@code <<...>>} annotations ({@code "48/2 = <<48/2=24>>24"}
   *     becomes {@code "48/2 = 24"}); everything else, line breaks included, is kept
   */
  public static String strip(String text) {
    return ANNOTATION.matcher(text).replaceAll("");
  }
}
