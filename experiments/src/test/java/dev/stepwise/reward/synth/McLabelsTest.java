package dev.stepwise.reward.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.LogiQa2Config;
import dev.stepwise.task.LogiQa2Task;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Monte Carlo labels against hand-computed values. */
class McLabelsTest {
  static final ArithTask ARITH = new ArithTask(ArithConfig.DEFAULTS);

  @Test
  void theIssuesStateWithAnEmptyRolloutIsDroppedNotCreditedWithTheStatesLastNumber() {
    // issue 20: judged on state + completion, the last-number fallback read 42 from the state for
    // all three rollouts: value 3, mc_value 1.0. The reference drops a state with an empty rollout.
    StateRecord s = new StateRecord("q", "P:", "42", 0, 0, "12 + 30 = 42\n", "inter");
    assertEquals(Optional.empty(), McLabels.inter(s, List.of("", "\n", "hmm"), ARITH));
    assertTrue(McLabels.hasEmptyRollout(List.of("", "\n", "hmm")));
    assertFalse(McLabels.hasEmptyRollout(List.of("\n", "hmm")));
  }

  @Test
  void rolloutsWithoutAnAnswerCountAsWrongEvenWhenTheStateEndsInTheGoldNumber() {
    StateRecord s = new StateRecord("q", "P:", "42", 0, 0, "12 + 30 = 42\n", "inter");
    RolloutRecord r = McLabels.inter(s, List.of("\n", "hmm", "#### 42"), ARITH).orElseThrow();
    assertEquals(1, r.value());
    assertEquals(1 / 3.0, r.mcValue(), 1e-12);
    assertEquals(2, McLabels.noAnswerRollouts(r, ARITH));
  }

  @Test
  void valueCountsCorrectRolloutsJudgedOnTheirOwnText() {
    StateRecord s = new StateRecord("q", "P:", "7", 1, 2, "x = 3+4 = 7\n", "inter");
    // "#### 7" right; "#### 8" wrong; "so 7" right by the last-number fallback on its own text;
    // "#### " states an unreadable answer: wrong
    RolloutRecord r = McLabels.inter(s, List.of("#### 7", "#### 8", "so 7", "#### "), ARITH).orElseThrow();
    assertEquals(2, r.value());
    assertEquals(0.5, r.mcValue());
    assertEquals(1, McLabels.noAnswerRollouts(r, ARITH));
    assertEquals(List.of("q", "P:", "7", 1, 2, "x = 3+4 = 7\n", "inter"),
        List.of(r.id(), r.prompt(), r.label(), r.respId(), r.stepId(), r.state(), r.type()));
    assertEquals(4, r.completions().size());
    assertEquals(0, McLabels.inter(s, List.of("#### 1", "#### 2", "#### 3"), ARITH).orElseThrow().value());
    assertEquals(1.0, McLabels.inter(s, List.of("#### 7", "so #### 7.0"), ARITH).orElseThrow().mcValue());
    assertThrows(IllegalArgumentException.class, () -> McLabels.inter(s, List.of(), ARITH));
  }

  @Test
  void reactValuesUseTheFinishCheck() {
    LogiQa2Task task = new LogiQa2Task(LogiQa2Config.of(null, null));
    StateRecord s = new StateRecord("q", "P", "B", 0, 0, " B follows.\n", "inter");
    RolloutRecord r = McLabels.inter(s, List.of("Action 1: Finish[B]", "Action 1: Finish[A and B]", "Action 1: Finish[C]"), task).orElseThrow();
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
