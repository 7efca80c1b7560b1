package dev.stepwise.selftrain;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sample.SampleRecord;
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
}
