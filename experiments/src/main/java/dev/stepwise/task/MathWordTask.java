package dev.stepwise.task;

import java.util.List;
import java.util.Optional;

/**
 * The parts GSM8K-style tasks share: the prompt template, the target, step splitting by line
 * and the numeric final-answer check.
 *
 * <p>Prompt: {@code "Question: " + question + "\nAnswer:\n"} (the completion starts right after
 * it); target: the reference solution as is (the trainer appends the end-of-sequence token).
 */
public abstract class MathWordTask implements Task {
  /** Text before the question in every prompt. */
  public static final String PROMPT_PREFIX = "Question: ";
  /** Text after the question in every prompt; the completion follows it. */
  public static final String PROMPT_SUFFIX = "\nAnswer:\n";

  /** @return the GSM8K-style prompt of {@code question} */
  public static String promptFor(String question) {
    return PROMPT_PREFIX + question + PROMPT_SUFFIX;
  }

  @Override
  public String prompt(Problem p) {
    return promptFor(p.question());
  }

  @Override
  public String target(Problem p) {
    return p.solution();
  }

  /** One step per non-empty line; see {@link Steps#split}. */
  @Override
  public List<String> splitSteps(String completion) {
    return Steps.split(completion);
  }

  /** See {@link Answers#extract}. */
  @Override
  public Optional<String> extractAnswer(String completion) {
    return Answers.extract(completion);
  }

  /** @return true when the extracted answer equals {@code p.label()} numerically */
  @Override
  public boolean isCorrect(String completion, Problem p) {
    return extractAnswer(completion).map(a -> Answers.equal(a, p.label())).orElse(false);
  }

  /**
   * @return the number of problems to take: the smallest positive of {@code limit} and {@code
   *     max} (each 0 or negative meaning no limit), or {@code available} when neither is positive,
   *     never more than {@code available}
   */
  protected static int effectiveLimit(int limit, int max, int available) {
    int n = available;
    if (limit > 0) {
      n = Math.min(n, limit);
    }
    if (max > 0) {
      n = Math.min(n, max);
    }
    return n;
  }
}
