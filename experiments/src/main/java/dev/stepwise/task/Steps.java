package dev.stepwise.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Step splitting for GSM8K-style solutions: one reasoning step per non-empty line, the final
 * {@code #### N} line being the answer step.
 *
 * <p>This is the step unit of the paper's process supervision (each line of a solution is one
 * intermediate state whose value the PRM estimates).
 */
public final class Steps {
  /** The marker that opens the answer step. */
  public static final String ANSWER_MARKER = "####";

  private Steps() {}

  /**
   * Splits {@code completion} into its steps: every non-blank line, trimmed. When a line holds
   * text followed by {@code ####} (a model that wrote the answer on the last reasoning line),
   * the {@code ####} part becomes a step of its own, so the answer step is always separate.
   *
   * @return the steps in order (empty for a blank completion)
   */
  public static List<String> split(String completion) {
    List<String> steps = new ArrayList<>();
    for (String line : completion.split("\\R")) {
      String s = line.trim();
      int marker = s.indexOf(ANSWER_MARKER);
      if (marker > 0) {
        String before = s.substring(0, marker).trim();
        if (!before.isEmpty()) {
          steps.add(before);
        }
        s = s.substring(marker);
      }
      if (!s.isEmpty()) {
        steps.add(s);
      }
    }
    return steps;
  }

  /** @return true when {@code step} (as returned by {@link #split}) is the answer step */
  public static boolean isAnswerStep(String step) {
    return step.trim().startsWith(ANSWER_MARKER);
  }

  /**
   * @return the index of the first answer step in {@code steps}, or -1 when there is none (an
   *     unfinished solution)
   */
  public static int answerStepIndex(List<String> steps) {
    for (int i = 0; i < steps.size(); i++) {
      if (isAnswerStep(steps.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** @return the steps joined with {@code '\n'}, the inverse of {@link #split} for clean text */
  public static String join(List<String> steps) {
    return String.join("\n", steps);
  }
}
