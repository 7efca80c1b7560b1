package dev.stepwise.search;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.api.PromptScores;
import dev.stepwise.config.UserError;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API judge's value from a server's prompt scores, and the search section's checks. */
class ApiJudgeValuerTest {
  static PromptScores scores(double yes, Map<String, Double> top) {
    java.util.ArrayList<Map<String, Double>> tops = new java.util.ArrayList<>(Arrays.asList(null, Map.of("b", -1.0), top));
    return new PromptScores(List.of("a", "b", " Yes"), new double[] {Double.NaN, -1.0, yes}, tops);
  }

  @Test
  void normalisesYesAgainstNoWhenListed() {
    double py = 0.6;
    double pn = 0.2;
    PromptScores s = scores(Math.log(py), Map.of(" Yes", Math.log(py), " No", Math.log(pn)));
    assertEquals(0.75, ApiJudgeValuer.yesProbability(s), 1e-12);
    PromptScores onlyYes = scores(Math.log(py), Map.of(" Yes", Math.log(py), " Maybe", Math.log(0.3)));
    assertEquals(0.6, ApiJudgeValuer.yesProbability(onlyYes), 1e-12);
  }

  @Test
  void judgeTextEndsInTheQuestionAndYes() {
    ApiJudgeValuer v = new ApiJudgeValuer(null, null, HandTrees.TASK, "\nIs the last step correct? Answer:");
    assertEquals(HandTrees.TASK.prompt(HandTrees.PROBLEM) + "a\nb\nIs the last step correct? Answer: Yes",
        v.judgeText(HandTrees.PROBLEM, List.of("a", "b")));
  }

  @Test
  void unknownProposerOrValuerIsAUserError() {
    assertThrows(UserError.class, () -> new SearchConfig(null, "gpt", null, null, null, null, null, null, null, null, null, null, null));
    assertThrows(UserError.class, () -> new SearchConfig(null, null, null, null, null, null, null, null, null, null, null, "orm", null));
    assertEquals("prm", new SearchConfig(null, null, null, null, null, null, null, null, null, null, null, null, null).valuer());
  }
}
