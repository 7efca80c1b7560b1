package dev.stepwise.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.stepwise.config.UserError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ArithTaskTest {
  /** A reasoning line: "..., so he has x op b=<<x op b=y>>y items." (checked independently). */
  private static final Pattern STEP =
      Pattern.compile("^.*, so (he|she) has (\\d+)([-+*/])(\\d+)=<<(\\d+)([-+*/])(\\d+)=(\\d+)>>(\\d+) [a-z ]+\\.$");

  private static ArithConfig cfg(int minSteps, int maxSteps, int maxNumber, String ops, int train, int test, long seed) {
    return new ArithConfig(minSteps, maxSteps, maxNumber, 999, ops, train, test, seed);
  }

  @Test
  void solutionsAreWellFormedChainedAndArithmeticallyRight() {
    ArithConfig c = cfg(1, 4, 20, "+-*/", 2000, 300, 7);
    ArithTask task = new ArithTask(c);
    Set<Character> opsSeen = new HashSet<>();
    Set<Integer> stepCounts = new HashSet<>();
    for (String split : List.of("train", "test")) {
      List<Problem> ps = task.problems(split, 0);
      assertEquals(split.equals("train") ? 2000 : 300, ps.size());
      for (int i = 0; i < ps.size(); i++) {
        Problem p = ps.get(i);
        assertEquals("arith-" + split + "-" + i, p.id());
        List<String> lines = List.of(p.solution().split("\n"));
        assertEquals(task.splitSteps(p.solution()), lines, "no blank or padded lines");
        int steps = lines.size() - 1;
        assertTrue(steps >= 1 && steps <= 4, p.solution());
        stepCounts.add(steps);
        assertEquals("#### " + p.label(), lines.get(steps));
        assertTrue(Steps.isAnswerStep(lines.get(steps)));
        Integer previous = null;
        for (String line : lines.subList(0, steps)) {
          Matcher m = STEP.matcher(line);
          assertTrue(m.matches(), "bad step line: " + line);
          int x = Integer.parseInt(m.group(2));
          char op = m.group(3).charAt(0);
          int b = Integer.parseInt(m.group(4));
          int y = Integer.parseInt(m.group(8));
          assertEquals(m.group(2) + m.group(3) + m.group(4), m.group(5) + m.group(6) + m.group(7));
          assertEquals(m.group(8), m.group(9));
          int expected =
              switch (op) {
                case '+' -> x + b;
                case '-' -> x - b;
                case '*' -> x * b;
                default -> {
                  assertEquals(0, x % b, "exact division: " + line);
                  yield x / b;
                }
              };
          assertEquals(expected, y, line);
          assertTrue(b >= 1 && b <= 20, "operand range: " + line);
          assertTrue(y >= 0 && y <= 999, "value bound: " + line);
          if (previous != null) {
            assertEquals(previous.intValue(), x, "each step uses the previous result: " + p.solution());
          }
          assertTrue(p.question().contains(String.valueOf(b)), "operand in the question: " + p);
          previous = y;
          opsSeen.add(op);
        }
        assertEquals(String.valueOf(previous), p.label());
        assertTrue(task.isCorrect(task.target(p), p));
        assertTrue(p.question().endsWith("?"), p.question());
      }
    }
    assertEquals(Set.of('+', '-', '*', '/'), opsSeen);
    assertEquals(Set.of(1, 2, 3, 4), stepCounts);
  }

  @Test
  void promptAndTargetFollowTheGsm8kTemplate() {
    ArithTask task = new ArithTask(ArithConfig.DEFAULTS);
    Problem p = task.problems("test", 1).get(0);
    assertEquals("Question: " + p.question() + "\nAnswer:\n", task.prompt(p));
    assertEquals(p.solution(), task.target(p));
    String wrong = p.solution().replace("#### " + p.label(), "#### " + (Integer.parseInt(p.label()) + 1));
    assertFalse(task.isCorrect(wrong, p));
    assertEquals("arith", task.name());
  }

  @Test
  void deterministicGivenTheSeedAndDifferentAcrossSeeds() {
    ArithConfig c = cfg(1, 3, 20, "+-*", 500, 100, 42);
    List<Problem> a = new ArithTask(c).problems("train", 0);
    List<Problem> b = new ArithTask(c).problems("train", 0);
    assertEquals(a, b);
    List<Problem> other = new ArithTask(cfg(1, 3, 20, "+-*", 500, 100, 43)).problems("train", 0);
    long same = a.stream().map(Problem::question).filter(other.stream().map(Problem::question).collect(Collectors.toSet())::contains).count();
    assertTrue(same < 25, "seeds 42 and 43 share " + same + " of 500 questions");
  }

  @Test
  void testSetIsDisjointFromTrainAndIndependentOfTrainSize() {
    // a small space: 3 sums x 10 people x 12 items x 4 phrasings x 2 questions = 2,880
    // questions, so about 100 of 1,000 independent train draws would hit the 300 test questions
    ArithConfig small = new ArithConfig(1, 1, 2, 3, "+", 1000, 300, 3);
    ArithTask task = new ArithTask(small);
    Set<String> test = task.problems("test", 0).stream().map(Problem::question).collect(Collectors.toSet());
    Set<String> train = task.problems("train", 0).stream().map(Problem::question).collect(Collectors.toSet());
    assertEquals(300, test.size(), "test questions are distinct");
    assertEquals(1000, train.size(), "train questions are distinct");
    assertTrue(train.stream().noneMatch(test::contains), "train and test overlap");
    ArithTask moreTrain = new ArithTask(new ArithConfig(1, 1, 2, 3, "+", 1500, 300, 3));
    assertEquals(task.problems("test", 0), moreTrain.problems("test", 0));
    assertEquals(task.problems("train", 0), moreTrain.problems("train", 1000));
  }

  @Test
  void trainAndTestStreamsDifferEvenWithoutExclusion() {
    ArithTask task = new ArithTask(cfg(2, 3, 20, "+-*", 50, 50, 11));
    assertNotEquals(task.problems("train", 0).get(0).question(), task.problems("test", 0).get(0).question());
  }

  @Test
  void knobsAreRespected() {
    ArithTask add = new ArithTask(new ArithConfig(2, 2, 9, 50, "+", 300, 10, 5));
    for (Problem p : add.problems("train", 0)) {
      List<String> steps = Steps.split(p.solution());
      assertEquals(3, steps.size(), p.solution());
      assertFalse(p.solution().contains("-") || p.solution().contains("*"), p.solution());
      assertTrue(Integer.parseInt(p.label()) <= 50, p.label());
    }
    assertEquals(7, add.problems("train", 7).size());
  }

  @Test
  void badKnobsAndSplitsAreUserErrors() {
    UserError steps = assertThrows(UserError.class, () -> cfg(3, 2, 20, "+", 1, 1, 1));
    assertTrue(steps.getMessage().contains("max_steps"), steps.getMessage());
    UserError ops = assertThrows(UserError.class, () -> cfg(1, 2, 20, "+x", 1, 1, 1));
    assertTrue(ops.getMessage().contains("ops"), ops.getMessage());
    UserError split = assertThrows(UserError.class, () -> new ArithTask(ArithConfig.DEFAULTS).problems("dev", 0));
    assertTrue(split.getMessage().contains("train, validation, test"), split.getMessage());
    // 1 step of + on numbers up to 2 bounded by 3: 3 sums x 10 people x 12 items x 4 phrasings
    // x 2 questions = 2,880 distinct questions, fewer than the 5,000 asked
    ArithTask tiny = new ArithTask(new ArithConfig(1, 1, 2, 3, "+", 10, 5000, 1));
    UserError few = assertThrows(UserError.class, () -> tiny.problems("test", 0));
    assertTrue(few.getMessage().contains("distinct test problems"), few.getMessage());
  }

  @Test
  void bindsFromSnakeCaseJsonWithDefaults() throws Exception {
    ObjectMapper m = new ObjectMapper();
    ArithConfig c = m.readValue("{\"max_steps\": 2, \"max_number\": 9, \"ops\": \"+-\", \"seed\": 5}", ArithConfig.class);
    assertEquals(new ArithConfig(1, 2, 9, 999, "+-", 10_000, 500, 5), c);
    assertEquals(ArithConfig.DEFAULTS, m.readValue("{}", ArithConfig.class));
    assertThrows(UnrecognizedPropertyException.class, () -> m.readValue("{\"max_step\": 2}", ArithConfig.class));
    ValueInstantiationException bad =
        assertThrows(ValueInstantiationException.class, () -> m.readValue("{\"min_steps\": 0}", ArithConfig.class));
    assertTrue(bad.getCause() instanceof UserError, String.valueOf(bad.getCause()));
    String json = m.writeValueAsString(ArithConfig.DEFAULTS);
    assertTrue(json.contains("\"num_train\":10000"), json);
    assertEquals(ArithConfig.DEFAULTS, m.readValue(json, ArithConfig.class));
  }

  @Test
  void validationIsDisjointFromTrainAndTestAndLeavesThemUnchanged() {
    ArithConfig c = cfg(1, 2, 10, "+-", 3000, 200, 11);
    ArithTask plain = new ArithTask(c);
    List<Problem> trainBefore = plain.problems("train", 0);
    List<Problem> testBefore = plain.problems("test", 0);
    ArithTask task = new ArithTask(c);
    List<Problem> validation = task.problems("validation", 0);
    assertEquals(200, validation.size());
    assertTrue(task.hasSplit("validation"));
    Set<String> seen = new HashSet<>();
    task.problems("train", 0).forEach(p -> seen.add(p.question()));
    task.problems("test", 0).forEach(p -> seen.add(p.question()));
    for (Problem p : validation) {
      assertTrue(seen.add(p.question()), "validation question also in train/test or repeated: " + p.question());
      assertTrue(p.id().startsWith("arith-validation-"), p.id());
    }
    assertEquals(trainBefore, task.problems("train", 0));
    assertEquals(testBefore, task.problems("test", 0));
    UserError e = assertThrows(UserError.class, () -> task.problems("dev", 0));
    assertTrue(e.getMessage().contains("validation"), e.getMessage());
  }
}
