package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.reward.data.CalculatorCheck;
import dev.stepwise.reward.data.LabelledResponse;
import dev.stepwise.reward.data.OutcomeLabels;
import dev.stepwise.reward.data.QuestionSplit;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Outcome labels from sampled solutions, calculator checks and the question split. */
class OutcomeLabelsTest {
  private final ArithTask task = new ArithTask(ArithConfig.DEFAULTS);
  private final SampleRecord rec = new SampleRecord("q", "P\n", "9",
      List.of("2+3=<<2+3=5>>5\n5+4=<<5+4=9>>9\n#### 9", "2+3=<<2+3=6>>6\n6+4=<<6+4=10>>10\n#### 10", "2+3=<<2+3=5>>5\n5+4=<<5+4=9>>8\n#### 9"),
      List.of("9", "10", "9"));

  @Test
  void ormLabelsTheLastTokenByCorrectness() {
    List<LabelledResponse> r = OutcomeLabels.orm(List.of(rec), task);
    assertEquals(3, r.size());
    assertEquals(List.of(rec.response().get(0).length()), r.get(0).stepEnds());
    assertEquals(List.of(1f), r.get(0).targets());
    assertEquals(List.of(0f), r.get(1).targets());
  }

  @Test
  void outcomeStepLabelsCopyCorrectnessAndCalculatorLabelsZeroFromTheFirstSlip() {
    List<LabelledResponse> out = OutcomeLabels.steps(List.of(rec), task, false);
    assertEquals(List.of(1f, 1f, 1f), out.get(0).targets());
    assertEquals(List.of(0f, 0f, 0f), out.get(1).targets());
    assertEquals(List.of(1f, 1f, 1f), out.get(2).targets());
    List<LabelledResponse> calc = OutcomeLabels.steps(List.of(rec), task, true);
    assertEquals(List.of(1f, 1f, 1f), calc.get(0).targets());
    assertEquals(List.of(1f, 0f, 0f), calc.get(2).targets(), "step 2 shows 8 after computing 9");
    assertEquals(3, calc.get(2).stepEnds().size());
  }

  @Test
  void calculatorCheck() {
    assertTrue(CalculatorCheck.passes("16 - 3 - 4 = <<16-3-4=9>>9 duck eggs"));
    assertTrue(CalculatorCheck.passes("makes 9 * 2 = $<<9*2=18>>18 every day"));
    assertTrue(CalculatorCheck.passes("It takes 2*1/2=<<2*1/2=1.0>>1 bolt and (2+1)*3=<<(2+1)*3=9>>9"));
    assertTrue(CalculatorCheck.passes("no annotation here"));
    assertFalse(CalculatorCheck.passes("3+4=<<3+4=8>>8"), "wrong result");
    assertFalse(CalculatorCheck.passes("3+4=<<3+4=7>>8"), "shown number differs");
    assertFalse(CalculatorCheck.passes("3x4=<<3x4=12>>12"), "unparseable expression");
  }

  @Test
  void questionSplitIsDisjointSeededAndSized() {
    List<String> ids = List.of("a", "a", "b", "c", "d", "e", "e", "f", "g", "h", "i", "j");
    Set<String> held = QuestionSplit.heldOut(ids, 0.2, 7);
    assertEquals(2, held.size(), "20 % of 10 questions");
    assertEquals(held, QuestionSplit.heldOut(ids, 0.2, 7));
    List<String> train = QuestionSplit.filter(ids, s -> s, held, false);
    List<String> eval = QuestionSplit.filter(ids, s -> s, held, true);
    assertEquals(ids.size(), train.size() + eval.size());
    Set<String> both = new HashSet<>(train);
    both.retainAll(eval);
    assertTrue(both.isEmpty());
  }
}
