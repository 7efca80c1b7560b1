package dev.stepwise.selftrain;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The judged record: averaged valid verdicts, null for malformed ones, and what the pair builder makes of it. */
class SelfJudgeJobTest {
  @Test
  void judgedRecordsFeedTheTieRule() throws Exception {
    JsonNode rec = new ObjectMapper().readTree("{\"id\":\"a\",\"prompt\":\"P\",\"label\":\"5\",\"response\":[\"r1\",\"r2\",\"r3\"]}");
    ObjectNode j = SelfJudgeJob.judged(rec, List.of(
        List.of("Score: 4", "Score: 5"), // mean 4.5
        List.of("no verdict", "Score: 7"), // nothing valid on a 0..5 scale: null
        List.of("Score: 1", "Score: 2 and more. Score: 2")), 0, 5); // mean 1.5
    assertEquals("[4.5,null,1.5]", j.get("judge_scores").toString());
    assertEquals("[[\"Score: 4\",\"Score: 5\"],[\"no verdict\",\"Score: 7\"],[\"Score: 1\",\"Score: 2 and more. Score: 2\"]]",
        j.get("judge_outputs").toString());
    assertEquals("5", j.get("label").asText(), "the input record's fields are kept");
    List<Double> scores = new ArrayList<>();
    j.get("judge_scores").forEach(s -> scores.add(s.isNumber() ? s.asDouble() : null));
    List<dev.stepwise.preference.data.PreferencePair> out = new ArrayList<>();
    SelfRewardingPairs.pairs(List.of(new SelfRewardingPairs.Scored("a", "P", null, List.of("r1", "r2", "r3"), scores)), null, out::add);
    assertEquals("r1", out.get(0).chosen());
    assertEquals("r3", out.get(0).rejected());
    assertThrows(IllegalArgumentException.class, () -> SelfJudgeJob.judged(rec, List.of(List.of("Score: 1")), 0, 5));
  }

  @Test
  void oneVerdictPerResponseIsAPlainString() throws Exception {
    JsonNode rec = new ObjectMapper().readTree("{\"id\":\"b\",\"prompt\":\"P\",\"response\":[\"r1\",\"r2\"]}");
    ObjectNode j = SelfJudgeJob.judged(rec, List.of(List.of("Score: 3"), List.of()), 0, 5);
    assertEquals("[3.0,null]", j.get("judge_scores").toString(), "no verdict (the prompt did not fit): null");
    assertEquals("[\"Score: 3\",null]", j.get("judge_outputs").toString());
  }
}
