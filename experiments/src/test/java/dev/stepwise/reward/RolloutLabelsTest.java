package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import dev.stepwise.reward.data.LabelType;
import dev.stepwise.reward.data.LabelledResponse;
import dev.stepwise.reward.data.RolloutLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollout records of one (id, resp_id) become one sequence with a label per state. */
class RolloutLabelsTest {
  @TempDir Path dir;

  static String rec(String id, int resp, int step, String state, String type, int value, int k) {
    String comps = type.equals("full") ? "[]" : "[" + String.join(",", java.util.Collections.nCopies(k, "\"c\"")) + "]";
    double mc = type.equals("full") ? value / (double) k : value / (double) k;
    return String.format(
        "{\"id\":\"%s\",\"prompt\":\"P\\n\",\"label\":\"9\",\"resp_id\":%d,\"step_id\":%d,\"state\":%s,\"type\":\"%s\",\"completions\":%s,\"value\":%d,\"mc_value\":%s}",
        id, resp, step, com.fasterxml.jackson.databind.node.TextNode.valueOf(state).toString(), type, comps, value, mc);
  }

  Path write(String... lines) throws Exception {
    Path f = dir.resolve("rollouts.jsonl");
    Files.write(f, List.of(lines));
    return f;
  }

  @Test
  void groupsStatesIntoTheirResponseWithMonteCarloTargets() throws Exception {
    Path f = write(
        rec("a", 0, 0, "2+3=5\n", "inter", 3, 4),
        rec("a", 1, 0, "2+3=6\n", "inter", 0, 4),
        rec("a", 0, 1, "2+3=5\n5+4=9\n", "inter", 4, 4),
        rec("a", 0, 2, "2+3=5\n5+4=9\n#### 9", "full", 4, 4),
        rec("a", 1, 2, "2+3=6\n6+4=10\n#### 10", "full", 0, 4));
    List<LabelledResponse> soft = RolloutLabels.read(f, LabelType.SOFT);
    assertEquals(2, soft.size());
    LabelledResponse r0 = soft.get(0);
    assertEquals("2+3=5\n5+4=9\n#### 9", r0.response());
    assertEquals(List.of(5, 11, 18), r0.stepEnds());
    assertEquals(List.of(0.75f, 1f, 1f), r0.targets());
    LabelledResponse r1 = soft.get(1);
    assertEquals(List.of(5, 20), r1.stepEnds(), "resp 1 has a state at step 0 and the full response");
    assertEquals(List.of(0f, 0f), r1.targets());
    List<LabelledResponse> hard = RolloutLabels.read(f, LabelType.HARD);
    assertEquals(List.of(1f, 1f, 1f), hard.get(0).targets(), "hard: mc_value > 0");
    assertEquals(List.of(0.75f, 1f, 1f), RolloutLabels.read(f, LabelType.CLASSES).get(0).targets());
    assertEquals(4, RolloutLabels.maxRollouts(f));
  }

  @Test
  void aStateThatIsNotAPrefixNamesItsLine() throws Exception {
    Path f = write(rec("a", 0, 2, "2+3=5\n5+4=9\n#### 9", "full", 4, 4), rec("a", 0, 0, "2+3=7\n", "inter", 1, 4));
    UserError e = assertThrows(UserError.class, () -> RolloutLabels.read(f, LabelType.SOFT));
    assertTrue(e.getMessage().contains("rollouts.jsonl:2"), e.getMessage());
  }

  @Test
  void aMissingOrBadMcValueNamesItsLine() throws Exception {
    Path f = write(rec("a", 0, 0, "x\n", "inter", 1, 4), "{\"id\":\"a\",\"prompt\":\"P\",\"resp_id\":0,\"state\":\"x\",\"mc_value\":1.5}");
    UserError e = assertThrows(UserError.class, () -> RolloutLabels.read(f, LabelType.SOFT));
    assertTrue(e.getMessage().contains("rollouts.jsonl:2") && e.getMessage().contains("mc_value"), e.getMessage());
    assertEquals(1f, LabelType.HARD.target(0.25));
    assertEquals(0f, LabelType.HARD.target(0));
    assertEquals(0.25f, LabelType.SOFT.target(0.25));
  }
}
