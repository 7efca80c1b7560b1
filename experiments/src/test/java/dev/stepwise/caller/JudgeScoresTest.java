package dev.stepwise.caller;

import static org.junit.jupiter.api.Assertions.*;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Parsing the judge's verdict and filling the template. */
class JudgeScoresTest {
  @Test
  void theLastScoreWins() {
    assertEquals(OptionalDouble.of(4), JudgeScores.parse("The answer is relevant (Score: 1 so far)...\nScore: 4"));
    assertEquals(OptionalDouble.of(3.5), JudgeScores.parse("score:3.5"));
    assertEquals(OptionalDouble.of(5), JudgeScores.parse("Score: **5**"));
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("I would give it four points."));
  }

  @Test
  void theDefaultTemplateIsSelfRewardingsAndIsFilledOnce() {
    String t = JudgeScores.selfRewardingTemplate();
    assertTrue(t.contains("additive 5-point scoring system"));
    assertTrue(t.contains("Score: <total points>"));
    String filled = JudgeScores.render(t, "What is 2+2?", "It is 4. {instruction}");
    assertTrue(filled.contains("User: What is 2+2?"));
    assertTrue(filled.contains("<response>It is 4. {instruction}</response>"), "a placeholder inside a response must stay as is");
    assertFalse(filled.contains("{response}"));
  }
}
