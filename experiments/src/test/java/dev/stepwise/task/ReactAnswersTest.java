package dev.stepwise.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The LogiQA-v2 ReAct answer check on hand-written outputs, the "A and B" hack included. */
class ReactAnswersTest {
  private static Optional<String> x(String s) {
    return ReactAnswers.extract(s);
  }

  @Test
  void readsTheSingleLetterInsideTheLastFinish() {
    assertEquals(Optional.of("A"), x(" The premise rules out B.\nAction 1: Finish[A]"));
    assertEquals(Optional.of("C"), x("Action 2: Finish[The answer is C.]"));
    assertEquals(Optional.of("B"), x("Finish[B, B]"));
    assertEquals(Optional.of("D"), x("Action 1: Finish[A]\nObservation 1: wrong\nThought 2: no\nAction 2: Finish[D]"));
    assertEquals(Optional.of("B"), x("Finish[Because B]"), "capitals inside words are not votes");
  }

  @Test
  void rejectsHedgesMissingOrForeignLettersAndUnclosedBrackets() {
    assertEquals(Optional.empty(), x("Action 1: Finish[A and B]"), "the A-and-B hack");
    assertEquals(Optional.empty(), x("Finish[A/B/C/D]"));
    assertEquals(Optional.empty(), x("Finish[]"));
    assertEquals(Optional.empty(), x("Finish[E]"));
    assertEquals(Optional.empty(), x("The answer is A."), "no Finish");
    assertEquals(Optional.empty(), x("Action 1: Finish[A"), "cut off before ]");
    assertEquals(Optional.empty(), x("Finish[a]"), "lower case is not an option letter");
  }

  @Test
  void taskIsCorrectComparesWithTheLabel() {
    LogiQa2Task task = new LogiQa2Task(LogiQa2Config.of(null, null));
    Problem p = new Problem("q", LogiQa2Task.body("ctx", "q?", List.of("w", "x", "y", "z")), "", "C");
    assertEquals(true, task.isCorrect(" so C.\nAction 1: Finish[C]", p));
    assertEquals(false, task.isCorrect(" so C.\nAction 1: Finish[B]", p));
    assertEquals(false, task.isCorrect(" so C.\nAction 1: Finish[C or B]", p));
    assertEquals(true, task.isCorrect(LogiQa2Task.targetFor("C"), p));
  }
}
