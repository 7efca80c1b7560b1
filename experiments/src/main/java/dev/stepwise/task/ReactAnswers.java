package dev.stepwise.task;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer check of the LogiQA-v2 ReAct outputs, after the reference implementation's
 * post-processor: the answer is read from the text inside the <em>last</em> {@code Finish[...]}
 * of the completion, and accepted only when exactly one distinct option letter {@code A}-{@code
 * D} appears there. So {@code Finish[A]}, {@code Finish[The answer is C.]} and {@code Finish[B, B]}
 * give A, C and B, while {@code Finish[A and B]} (hedging between options, the "A and B" hack),
 * {@code Finish[]}, {@code Finish[E]} and a completion without {@code Finish[} give no answer.
 *
 * <p>A letter counts only as a standalone upper-case letter, not inside a word ({@code
 * "Because"} contains no B): this is deliberately stricter than a bare {@code [A-D]} search,
 * which would read any capitalised word as a vote.
 */
public final class ReactAnswers {
  private static final Pattern FINISH = Pattern.compile("Finish\\[([^\\]]*)\\]");
  private static final Pattern LETTER = Pattern.compile("(?<![A-Za-z])[A-D](?![A-Za-z])");

  private ReactAnswers() {}

  /**
   * @param completion a ReAct completion
   * @return the option letter {@code "A"}..{@code "D"}, or empty (no {@code Finish[...]} closed by {@code ]}, no letter,
   *     or several different letters)
   */
  public static Optional<String> extract(String completion) {
    Matcher f = FINISH.matcher(completion);
    String inside = null;
    while (f.find()) {
      inside = f.group(1);
    }
    if (inside == null) {
      return Optional.empty();
    }
    Set<String> letters = new TreeSet<>();
    Matcher m = LETTER.matcher(inside);
    while (m.find()) {
      letters.add(m.group());
    }
    return letters.size() == 1 ? Optional.of(letters.iterator().next()) : Optional.empty();
  }

  /** @return the option letter of a 0-based option index (0 → "A") */
  public static String letter(int index) {
    return String.valueOf((char) ('A' + index));
  }
}
