package dev.stepwise.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.data.JsonlReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepsTest {
  @Test
  void oneStepPerNonEmptyTrimmedLine() {
    String s = "  Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n\n\tShe sold 48+24 = 72.  \r\n#### 72\n";
    List<String> steps = Steps.split(s);
    assertEquals(
        List.of("Natalia sold 48/2 = <<48/2=24>>24 clips in May.", "She sold 48+24 = 72.", "#### 72"),
        steps);
    assertEquals(2, Steps.answerStepIndex(steps));
    assertTrue(Steps.isAnswerStep(steps.get(2)));
    assertFalse(Steps.isAnswerStep(steps.get(0)));
    assertEquals(List.of(), Steps.split(" \n\n "));
  }

  @Test
  void answerWrittenOnTheLastReasoningLineBecomesItsOwnStep() {
    assertEquals(List.of("So 3+4=7.", "#### 7"), Steps.split("So 3+4=7. #### 7"));
    assertEquals(-1, Steps.answerStepIndex(Steps.split("So 3+4=7.\nThen")));
  }

  @Test
  void joinInvertsSplitOnCleanSolutions() {
    List<String> steps = List.of("a = 1", "b = 2", "#### 3");
    assertEquals(steps, Steps.split(Steps.join(steps)));
  }

  @Test
  void gsm8kSolutionsEndWithExactlyOneAnswerStep() {
    int problems = 0;
    int totalSteps = 0;
    for (JsonNode row : JsonlReader.readAll(AnswersTest.gsm8k("test.jsonl"))) {
      String answer = row.get("answer").asText();
      List<String> steps = Steps.split(answer);
      assertEquals(answer.lines().filter(l -> !l.isBlank()).count(), steps.size(), answer);
      assertEquals(steps.size() - 1, Steps.answerStepIndex(steps), answer);
      assertEquals(1, steps.stream().filter(Steps::isAnswerStep).count(), answer);
      problems++;
      totalSteps += steps.size() - 1;
    }
    assertEquals(1319, problems);
    double mean = (double) totalSteps / problems;
    assertTrue(mean > 2 && mean < 6, "mean reasoning steps per GSM8K test solution: " + mean);
  }

  @Test
  void calculatorAnnotationsAreStrippedOnly() {
    assertEquals(
        "Janet sells 16 - 3 - 4 = 9 duck eggs.\nShe makes 9 * 2 = $18.\n#### 18",
        CalculatorAnnotations.strip(
            "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs.\nShe makes 9 * 2 = $<<9*2=18>>18.\n#### 18"));
    assertEquals("a < b >> c", CalculatorAnnotations.strip("a < b >> c"));
  }
}
