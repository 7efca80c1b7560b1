package dev.stepwise.preference.pairs;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.preference.data.PairFiles;
import dev.stepwise.preference.data.PairSplit;
import dev.stepwise.preference.data.PreferencePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pair files round-trip with TRL/reference field names; the held-out split is by problem id. */
class PairSplitTest {
  @TempDir Path tmp;

  @Test
  void pairsRoundTripWithReferenceFieldNames() throws Exception {
    Path f = tmp.resolve("pairs.jsonl");
    try (JsonlAppender out = JsonlAppender.open(f)) {
      out.append(new PreferencePair("p1", "Q\n", "good", "bad", false, 0.9, 0.2));
    }
    String line = Files.readString(f);
    for (String k : List.of("\"id\"", "\"prompt\"", "\"chosen\"", "\"rejected\"", "\"is_full\":false", "\"chosen_reward\":0.9", "\"rejected_reward\":0.2")) {
      assertTrue(line.contains(k), k + " missing in " + line);
    }
    PreferencePair back = PairFiles.read(f).get(0);
    assertEquals(new PreferencePair("p1", "Q\n", "good", "bad", false, 0.9, 0.2), back);
    assertFalse(back.full());
    Files.writeString(f, "{\"id\":\"x\",\"prompt\":\"Q\",\"chosen\":\"c\",\"rejected\":\"r\"}\n{\"id\":\"y\",\"prompt\":\"Q\",\"rejected\":\"r\"}\n");
    UserError e = assertThrows(UserError.class, () -> PairFiles.read(f));
    assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("'chosen'"), e.getMessage());
  }

  @Test
  void heldOutProblemsHaveNoTrainingPairs() {
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      pairs.add(new PreferencePair("q" + i % 10, "Q", "c" + i, "r" + i, true, 1.0, 0.0));
    }
    PairSplit s = PairSplit.byId(pairs, 0.2, 7);
    Set<String> evalIds = new HashSet<>();
    s.eval().forEach(p -> evalIds.add(p.id()));
    assertEquals(2, evalIds.size());
    assertEquals(6, s.eval().size());
    s.train().forEach(p -> assertFalse(evalIds.contains(p.id()), p.id() + " on both sides"));
    assertEquals(s, PairSplit.byId(pairs, 0.2, 7), "seeded");
    assertTrue(PairSplit.byId(pairs, 0, 7).eval().isEmpty());
  }
}
