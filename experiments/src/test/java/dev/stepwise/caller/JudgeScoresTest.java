package dev.stepwise.caller;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
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

  @Test
  void malformedVerdictsAreUnparsedNotZero() {
    // no score at all, or nothing usable after "Score:"
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("", 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.parse(null, 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("Score:", 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("Score: five", 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("Score: NaN", 0, 5));
    // a malformed number is no score, a sentence's full stop is fine
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("Score: 3.5.1", 0, 5));
    assertEquals(OptionalDouble.of(3), JudgeScores.parse("So the total is clear. Score: 3.", 0, 5));
    // outside the prompt's 0..5 scale: unparsed, not clamped; the last verdict decides
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("Score: 45", 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("Score: -1", 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("Score: 4\nOn reflection... Score: 9", 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.parse("Score: 99999999999999999999999", 0, 5));
    // truncated or decorated but valid
    assertEquals(OptionalDouble.of(4), JudgeScores.parse("**Score:** 4/5", 0, 5));
    assertEquals(OptionalDouble.of(0), JudgeScores.parse("SCORE: 0 points", 0, 5));
    assertEquals(OptionalDouble.of(2), JudgeScores.parse("Score: 9 is impossible here. Score: 2", 0, 5));
  }

  @Test
  void theMeanAveragesOnlyValidVerdicts() {
    assertEquals(OptionalDouble.of(3.5), JudgeScores.mean(List.of("Score: 3", "garbage", "Score: 4", "Score: 8"), 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.mean(List.of("garbage", "Score: 6"), 0, 5));
    assertEquals(OptionalDouble.empty(), JudgeScores.mean(List.of(), 0, 5));
  }
}
