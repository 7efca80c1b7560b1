package dev.stepwise.reward.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.LogiQa2Config;
import dev.stepwise.task.LogiQa2Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Monte Carlo labels against hand-computed values. */
class McLabelsTest {
  static final ArithTask ARITH = new ArithTask(ArithConfig.DEFAULTS);

  @Test
  void valueCountsCorrectRolloutsJudgedOnStatePlusCompletion() {
    StateRecord s = new StateRecord("q", "P:", "7", 1, 2, "x = 3+4 = 7\n", "inter");
    // "#### 7" right; "#### 8" wrong; "" falls back to the last number of the state: 7, right;
    // "#### " states an unreadable answer: wrong
    RolloutRecord r = McLabels.inter(s, List.of("#### 7", "#### 8", "", "#### "), ARITH);
    assertEquals(2, r.value());
    assertEquals(0.5, r.mcValue());
    assertEquals(List.of("q", "P:", "7", 1, 2, "x = 3+4 = 7\n", "inter"),
        List.of(r.id(), r.prompt(), r.label(), r.respId(), r.stepId(), r.state(), r.type()));
    assertEquals(4, r.completions().size());
    assertEquals(0, McLabels.inter(s, List.of("#### 1", "#### 2", "#### 3"), ARITH).value());
    assertEquals(1.0, McLabels.inter(s, List.of("#### 7", "so #### 7.0"), ARITH).mcValue());
    assertThrows(IllegalArgumentException.class, () -> McLabels.inter(s, List.of(), ARITH));
  }

  @Test
  void reactValuesUseTheFinishCheck() {
    LogiQa2Task task = new LogiQa2Task(LogiQa2Config.of(null, null));
    StateRecord s = new StateRecord("q", "P", "B", 0, 0, " B follows.\n", "inter");
    RolloutRecord r = McLabels.inter(s, List.of("Action 1: Finish[B]", "Action 1: Finish[A and B]", "Action 1: Finish[C]"), task);
    assertEquals(1, r.value());
    assertEquals(1 / 3.0, r.mcValue(), 1e-12);
  }

  @Test
  void fullResponsesCountAsKAgreeingRollouts() {
    RolloutRecord right = McLabels.full("q", "P:", "7", 3, "a\nb\n#### 7", ARITH, 8);
    assertEquals(List.of(8, 1.0, 2, "full", 3, "a\nb\n#### 7"),
        List.of(right.value(), right.mcValue(), right.stepId(), right.type(), right.respId(), right.state()));
    assertEquals(List.of(), right.completions());
    RolloutRecord wrong = McLabels.full("q", "P:", "7", 0, "#### 6", ARITH, 8);
    assertEquals(List.of(0, 0.0, 0), List.of(wrong.value(), wrong.mcValue(), wrong.stepId()));
    assertEquals(-1, McLabels.full("q", "P:", "7", 0, "", ARITH, 8).stepId());
  }
}
