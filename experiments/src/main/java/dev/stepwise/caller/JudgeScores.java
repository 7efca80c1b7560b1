package dev.stepwise.caller;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The judge prompt template and the parsing of its verdict ({@code Score: N}). */
public final class JudgeScores {
  private static final Pattern SCORE = Pattern.compile("Score:\\s*\\**\\s*(-?\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);

  private JudgeScores() {}

  /** @return the built-in Self-Rewarding 5-point additive judge prompt (placeholders {@code {instruction}}, {@code {response}}) */
  public static String selfRewardingTemplate() {
    try (InputStream in = JudgeScores.class.getResourceAsStream("self_rewarding_judge.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the template with {@code {instruction}} and {@code {response}} filled in (in one pass, so a response containing a placeholder is left alone) */
  public static String render(String template, String instruction, String response) {
    StringBuilder sb = new StringBuilder();
    Matcher m = Pattern.compile("\\{(instruction|response)\\}").matcher(template);
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1).equals("instruction") ? instruction : response));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * @param judgement the judge model's output
   * @return the number after the LAST {@code Score:} (the verdict concludes the answer); empty
   *     when there is none
   */
  public static OptionalDouble parse(String judgement) {
    Matcher m = SCORE.matcher(judgement);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return last == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(last));
  }
}
