package dev.stepwise.reward.synth;

import java.util.List;

/**
 * Where each step of a response ends in the response's own text.
 *
 * <p>A task's splitter returns its steps as trimmed, contiguous substrings of the response, in
 * order ({@link dev.stepwise.task.Steps#split}, {@link dev.stepwise.task.ReactSteps#split}); this
 * finds each one by searching forward from the end of the previous one. A step's end is the
 * offset just after its text, moved over the spaces and tabs after it and then over one line
 * terminator ({@code \n} or {@code \r\n}) when the step is the last text on its line; so {@code
 * response.substring(0, end)} is the response up to and including the end of that step's line.
 */
public final class StepSpans {
  private StepSpans() {}

  /**
   * @param response the response text
   * @param steps its steps, as the task's splitter returned them
   * @return one end offset per step, strictly increasing, each in (0, response.length()]
   * @throws IllegalArgumentException when a step is not found in order (a splitter that does not
   *     return substrings of the response: a bug in the task)
   */
  public static int[] ends(String response, List<String> steps) {
    int[] out = new int[steps.size()];
    int pos = 0;
    for (int i = 0; i < steps.size(); i++) {
      String s = steps.get(i);
      int at = response.indexOf(s, pos);
      if (s.isEmpty() || at < 0) {
        throw new IllegalArgumentException("step " + i + " '" + s + "' is not a substring of the response after offset " + pos);
      }
      int end = at + s.length();
      int j = end;
      while (j < response.length() && (response.charAt(j) == ' ' || response.charAt(j) == '\t')) {
        j++;
      }
      if (j < response.length() && response.charAt(j) == '\n') {
        end = j + 1;
      } else if (j + 1 < response.length() && response.charAt(j) == '\r' && response.charAt(j + 1) == '\n') {
        end = j + 2;
      } else if (j == response.length()) {
        end = j;
      }
      out[i] = end;
      pos = end;
    }
    return out;
  }
}
