package dev.stepwise.selftrain;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.chat.ChatTemplate;
import dev.stepwise.chat.ChatTemplates;
import dev.stepwise.config.UserError;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.ChatPromptTask;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RLCD's positive-over-negative pairs and the identical-response filter. */
class RlcdPairsTest {
  @Test
  void positiveOverNegativeIdenticalDroppedPromptWithoutSystem() {
    List<SampleRecord> pos = List.of(
        new SampleRecord("a", "SYS+ a", "1", List.of("good 1", "same", "good 3"), null),
        new SampleRecord("b", "SYS+ b", "2", List.of("kind"), null),
        new SampleRecord("c", "SYS+ c", "3", List.of("lonely"), null));
    List<SampleRecord> neg = List.of(
        new SampleRecord("b", "SYS- b", "2", List.of("rude", "extra"), null),
        new SampleRecord("a", "SYS- a", "1", List.of("bad 1", " same\n", "bad 3"), null));
    List<PreferencePair> out = new ArrayList<>();
    Map<String, Object> m = RlcdPairs.pairs(pos, neg, id -> "plain " + id, out::add);
    assertEquals(List.of(
        new PreferencePair("a", "plain a", "good 1", "bad 1", true, null, null),
        new PreferencePair("a", "plain a", "good 3", "bad 3", true, null, null),
        new PreferencePair("b", "plain b", "kind", "rude", true, null, null)), out);
    assertEquals(3L, m.get("pairs/pairs"));
    assertEquals(1L, m.get("pairs/identical_dropped"));
    assertEquals(1L, m.get("pairs/unmatched"));
  }

  @Test
  void theShippedPlainTemplateCarriesTheSystemPromptOnItsOwnLine() {
    ChatTemplate t = ChatTemplates.resolve("../conf/exp/rlcd/plain.jinja", null, "test");
    assertEquals("Be careful.\nWhat is 2+3?", t.prompt("Be careful.", "What is 2+3?"));
    assertEquals("What is 2+3?", t.prompt(null, "What is 2+3?"), "without a system message: the task's own prompt");
    ArithTask arith = new ArithTask(ArithConfig.DEFAULTS);
    Problem p = arith.problems("train", 1).get(0);
    Task positive = ChatPromptTask.wrap(arith, t, "Be careful.");
    assertEquals("Be careful.\n" + arith.prompt(p), positive.prompt(p));
    assertEquals(arith.prompt(p), ChatPromptTask.wrap(arith, t, null).prompt(p));
    assertThrows(UserError.class, () -> ChatPromptTask.wrap(arith, null, "Be careful."));
  }
}
