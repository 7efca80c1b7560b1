package dev.stepwise.preference.pairs;

import static org.junit.jupiter.api.Assertions.*;

import dev.stepwise.config.UserError;
import dev.stepwise.data.JsonlAppender;
import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.preference.data.PairData;
import dev.stepwise.preference.data.PairFiles;
import dev.stepwise.preference.data.PairSplit;
import dev.stepwise.preference.data.PreferencePair;
import dev.stepwise.sft.SftBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pair files round-trip with TRL/reference field names ({@code chosen_eos} only when set, and it
 * puts EOS after the chosen side alone); the held-out split is by problem id.
 */
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
  void chosenEosRoundTripsAndPutsEosAfterTheChosenOnly() throws Exception {
    Path f = tmp.resolve("pairs.jsonl");
    PreferencePair gpair = new PreferencePair("p1", "Q\n", "ab", "c", false, 1.0, 0.0, true);
    try (JsonlAppender out = JsonlAppender.open(f)) {
      out.append(gpair);
      out.append(new PreferencePair("p2", "Q\n", "ab", "c", false, 1.0, 0.0));
    }
    List<String> lines = Files.readAllLines(f);
    assertTrue(lines.get(0).endsWith(",\"chosen_eos\":true}"), lines.get(0));
    assertFalse(lines.get(1).contains("chosen_eos"), "absent unless set: " + lines.get(1));
    List<PreferencePair> back = PairFiles.read(f);
    assertEquals(gpair, back.get(0));
    assertEquals(List.of(true, false), back.stream().map(PreferencePair::chosenEnds).toList());
    assertTrue(new PreferencePair("p", "Q", "a", "b", null, null, null).chosenEnds(), "absent is_full: both sides end");

    CharTokenizer tok = CharTokenizer.ascii();
    PairData data = PairData.of(back, tok, 32);
    try (NDManager m = NDManager.newBaseManager()) {
      SftBatch batch = data.collate(new int[] {0, 1}, m).sequences();
      long[] labels = batch.labels().toLongArray();
      int t = labels.length / 4; // rows: chosen 0, chosen 1, rejected 0, rejected 1 (labels[t] = ids[t + 1])
      int prompt = tok.encodePrompt("Q\n").length;
      assertEquals(CharTokenizer.EOS_ID, labels[prompt + 1], "pair 0: EOS after its chosen 'ab'");
      assertArrayEquals(new float[] {3, 2, 1, 1}, batch.lossMask().sum(new int[] {1}).toFloatArray(),
          "completion tokens: 'ab' + EOS, 'ab', 'c', 'c'");
    }
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
