package dev.stepwise.reward.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts with a real tiny GPT-2 (random init, near-uniform over a 16-character vocabulary):
 * each state is {@code "#### "} after a prompt and gets {@code k} one-token continuations, so a
 * continuation is correct exactly when it is the label's digit; the labels, the batch seeds and
 * the resume after a cut-off output are checked against that.
 */
class RolloutRunnerTest {
  static final int K = 16;
  static final ArithTask TASK = new ArithTask(ArithConfig.DEFAULTS);
  static NDManager manager;
  static CharTokenizer tok;
  static CausalLM model;

  @TempDir Path tmp;

  @BeforeAll
  static void model() {
    manager = NDManager.newBaseManager();
    tok = CharTokenizer.fromAlphabet("0123456789#+=? \n");
    model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 32, 1, 2, 64, 0, 1e-5, 0.02), manager, 5);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static List<StateRecord> states() {
    List<StateRecord> s = new ArrayList<>();
    String[][] problems = {{"3+4=?\n", "7"}, {"1+1=?\n", "2"}, {"5+4=?\n", "9"}};
    for (int rep = 0; rep < 3; rep++) {
      for (int i = 0; i < problems.length; i++) {
        s.add(new StateRecord("p" + i, problems[i][0], problems[i][1], rep, 0, "#### ", "inter"));
      }
    }
    return s; // 9 states; identical prompts recur in different batches
  }

  static RolloutRunner runner(int batch) {
    SamplingParams p = new SamplingParams(K, 1.0, 1.0, 0, 1, List.of(), 11L, false);
    return new RolloutRunner(new Sampler(model, tok, batch * K), tok, 64, TASK, p, batch);
  }

  static List<RolloutRecord> read(Path f) {
    return JsonlReader.readAll(f, RolloutRecord.class);
  }

  @Test
  void labelsCountTheRolloutsThatWriteTheLabelDigit() {
    Path out = tmp.resolve("r.jsonl");
    List<RolloutRecord> full = List.of(McLabels.full("p0", "3+4=?\n", "7", 0, "3+4\n#### 7", TASK, K));
    RolloutRunner.Result res;
    int[] progressed = {0};
    try (JsonlAppender sink = JsonlAppender.open(out)) {
      res = runner(2).run(states(), full, sink, n -> progressed[0] += n);
    }
    assertEquals(9, res.generated());
    assertEquals(1, res.fullWritten());
    assertEquals(9, progressed[0]);
    List<RolloutRecord> recs = read(out);
    assertEquals("full", recs.get(0).type());
    assertEquals(K, recs.get(0).value());
    List<RolloutRecord> inter = recs.subList(1, recs.size());
    // an EOS draw is an empty rollout: its state is dropped into the sidecar, never labelled
    assertEquals(9, inter.size() + res.dropped());
    assertEquals(res.dropped(), RolloutRunner.droppedCount(out));
    assertTrue(res.dropped() > 0, "the EOS id is among 19 near-uniform ids: some of 9 x 16 draws hit it");
    int total = 0;
    int noAnswer = 0;
    for (RolloutRecord r : inter) {
      assertEquals(K, r.completions().size());
      assertFalse(r.completions().contains(""), r.completions().toString());
      long hand = r.completions().stream().filter(r.label()::equals).count();
      assertEquals(hand, r.value(), r.completions().toString());
      assertEquals(hand / (double) K, r.mcValue(), 1e-12);
      noAnswer += (int) r.completions().stream().filter(c -> !Character.isDigit(c.charAt(0))).count();
      total += r.value();
    }
    assertEquals(noAnswer, res.noAnswer());
    assertTrue(total >= 0 && total <= 30, "correct rollouts " + total);
    // the same prompt in different batches draws different continuations (per-batch seeds;
    // with batches of 2 the three repeats of a problem sit in three batches)
    var byId = inter.stream().collect(java.util.stream.Collectors.groupingBy(RolloutRecord::id));
    List<RolloutRecord> twice = byId.values().stream().filter(l -> l.size() >= 2).findFirst().orElseThrow();
    assertNotEquals(twice.get(0).completions(), twice.get(1).completions());
  }

  @Test
  void resumeAfterACutOffFileGivesExactlyTheUninterruptedRecords() throws Exception {
    Path whole = tmp.resolve("whole.jsonl");
    try (JsonlAppender sink = JsonlAppender.open(whole)) {
      runner(4).run(states(), List.of(), sink, n -> {});
    }
    List<String> lines = Files.readAllLines(whole);
    List<String> dropped = Files.readAllLines(RolloutRunner.droppedFile(whole));
    assertEquals(9, lines.size() + dropped.size());
    assertTrue(lines.size() >= 2, "labelled " + lines.size());
    // a kill mid-run: the first labelled record whole, half of the second, no dropped file yet
    Path cut = tmp.resolve("cut.jsonl");
    Files.writeString(cut, lines.get(0) + "\n" + lines.get(1).substring(0, lines.get(1).length() / 2), StandardCharsets.UTF_8);
    RolloutRunner.Result res;
    try (JsonlAppender sink = JsonlAppender.open(cut)) {
      res = runner(4).run(states(), List.of(), sink, n -> {});
    }
    assertEquals(8, res.generated());
    assertEquals(lines, Files.readAllLines(cut));
    assertEquals(dropped, Files.readAllLines(RolloutRunner.droppedFile(cut)));
    // a finished file is left alone: labelled and dropped states both count as done
    try (JsonlAppender sink = JsonlAppender.open(cut)) {
      assertEquals(0, runner(4).run(states(), List.of(), sink, n -> {}).generated());
    }
    assertEquals(lines, Files.readAllLines(cut));
    assertEquals(dropped, Files.readAllLines(RolloutRunner.droppedFile(cut)));
  }
}
