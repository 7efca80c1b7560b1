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
  // A number not followed by more digits after a dot: "3.5.1" is no score, "Score: 3." is 3.
  private static final Pattern SCORE = Pattern.compile("Score:\\s*\\**\\s*(-?\\d+(?:\\.\\d+)?)(?!\\.?\\d)", Pattern.CASE_INSENSITIVE);

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
    if (judgement == null) {
      return OptionalDouble.empty();
    }
    Matcher m = SCORE.matcher(judgement);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return last == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(last));
  }

  /**
   * The verdict within the judge prompt's scale: a malformed judgement (no {@code Score:}, a
   * word or a malformed number after it, a last score outside {@code [min, max]}) is empty, never
   * clamped or read as 0, so it cannot pass as a low score.
   *
   * @param judgement the judge model's output (null = empty)
   * @param min the lowest valid score (0 for the Self-Rewarding additive prompt)
   * @param max the highest valid score (5 for it)
   * @return the last score when it lies in {@code [min, max]}
   */
  public static OptionalDouble parse(String judgement, double min, double max) {
    OptionalDouble s = parse(judgement);
    return s.isPresent() && s.getAsDouble() >= min && s.getAsDouble() <= max ? s : OptionalDouble.empty();
  }

  /**
   * Self-Rewarding's averaged judgement (Yuan et al. 2024, §3.1: three judgements sampled per
   * response, their scores averaged): the mean of the judgements that {@link #parse(String,
   * double, double)} accepts.
   *
   * @param judgements several sampled judgements of one response
   * @param min the lowest valid score
   * @param max the highest valid score
   * @return the mean of the valid scores; empty when none is valid
   */
  public static OptionalDouble mean(java.util.List<String> judgements, double min, double max) {
    double sum = 0;
    int n = 0;
    for (String j : judgements) {
      OptionalDouble s = parse(j, min, max);
      if (s.isPresent()) {
        sum += s.getAsDouble();
        n++;
      }
    }
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / n);
  }
}
