package dev.stepwise.task;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Step splitting for ReAct-style completions (Yao et al. 2023, as used for LogiQA-v2 by the
 * reference implementation of Jiao et al. 2024): a step opens at every line that starts with
 * {@code Thought N:}, {@code Action N:} or {@code Observation N:}; lines without such a marker
 * continue the current step. The text before the first marker (the completion of a prompt that
 * ends with {@code "Thought 1:"}) is the first step.
 *
 * <p>Each step is returned as a trimmed, contiguous substring of the completion (markers kept),
 * so its position in the original text can be found again by searching forward; blank steps are
 * dropped. The final answer step is the {@code Action N: Finish[...]} step.
 */
public final class ReactSteps {
  /** A line that opens a step. */
  static final Pattern MARKER = Pattern.compile("^[ \\t]*(Thought|Action|Observation)[ \\t]*\\d+[ \\t]*:");

  private ReactSteps() {}

  /**
   * @param completion the model's text after the prompt
   * @return the steps in order (empty for a blank completion)
   */
  public static List<String> split(String completion) {
    List<String> steps = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int pos = 0;
    int n = completion.length();
    while (pos <= n) {
      int eol = completion.indexOf('\n', pos);
      int end = eol < 0 ? n : eol;
      String line = completion.substring(pos, end);
      if (MARKER.matcher(line).find()) {
        flush(steps, current);
      }
      if (current.length() > 0) {
        current.append('\n');
      }
      current.append(line);
      if (eol < 0) {
        break;
      }
      pos = eol + 1;
    }
    flush(steps, current);
    return steps;
  }

  private static void flush(List<String> steps, StringBuilder current) {
    String s = current.toString().strip();
    if (!s.isEmpty()) {
      steps.add(s);
    }
    current.setLength(0);
  }
}
