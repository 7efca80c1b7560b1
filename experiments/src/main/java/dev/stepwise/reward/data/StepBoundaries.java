package dev.stepwise.reward.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Where steps end inside a response. A step's end is the offset just after its last
 * non-whitespace character, so the label sits on the step's last real token whether or not the
 * text stores a newline after it; training (from rollout states) and prediction (from {@code
 * task.splitSteps}) therefore put labels on the same tokens.
 */
public final class StepBoundaries {
  private StepBoundaries() {}

  /**
   * @param text a response or a response prefix (a rollout {@code state})
   * @return {@code text.length()} without trailing whitespace (0 for a blank text)
   */
  public static int trimmedEnd(String text) {
    int e = text.length();
    while (e > 0 && Character.isWhitespace(text.charAt(e - 1))) {
      e--;
    }
    return e;
  }

  /**
   * Finds each step, in order, in the response and returns its end.
   *
   * @param response the full response
   * @param steps its steps as the task splits them (trimmed substrings, in order)
   * @return one exclusive end offset per step found, strictly increasing; a step that cannot be
   *     found after the previous one (a task that rewrites step text) ends the list
   */
  public static List<Integer> ends(String response, List<String> steps) {
    List<Integer> out = new ArrayList<>();
    int cursor = 0;
    for (String s : steps) {
      String t = s.trim();
      if (t.isEmpty()) {
        continue;
      }
      int at = response.indexOf(t, cursor);
      if (at < 0) {
        break;
      }
      cursor = at + t.length();
      out.add(cursor);
    }
    return out;
  }
}
