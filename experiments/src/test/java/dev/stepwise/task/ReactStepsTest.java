package dev.stepwise.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Thought/Action/Observation step splitting on hand-written ReAct completions. */
class ReactStepsTest {
  @Test
  void eachMarkerOpensAStepAndUnmarkedLinesContinueIt() {
    String c = " Only B follows.\nIt is direct.\nAction 1: Finish[B]\nObservation 1: The answer is B.\n\nThought 2:  done\nAction 2: Finish[B]";
    assertEquals(
        List.of(
            "Only B follows.\nIt is direct.",
            "Action 1: Finish[B]",
            "Observation 1: The answer is B.",
            "Thought 2:  done",
            "Action 2: Finish[B]"),
        ReactSteps.split(c));
  }

  @Test
  void blankAndMarkerOnlyCases() {
    assertEquals(List.of(), ReactSteps.split(""));
    assertEquals(List.of(), ReactSteps.split(" \n \n"));
    assertEquals(List.of("Thought 3: x"), ReactSteps.split("Thought 3: x"));
    assertEquals(List.of("a", "Action 12 : Finish[C]"), ReactSteps.split("a\n  Action 12 : Finish[C]\n"));
  }

  @Test
  void stepsAreContiguousSubstringsInOrder() {
    String c = " t1\n cont\nAction 1: Search[x]\nObservation 1: y\nThought 2: z\nAction 2: Finish[A]";
    int pos = 0;
    for (String s : ReactSteps.split(c)) {
      int at = c.indexOf(s, pos);
      assertEquals(true, at >= pos, s);
      pos = at + s.length();
    }
  }
}
