package dev.stepwise.reward;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.cli.CliIo;
import dev.stepwise.data.JsonlReader;
import dev.stepwise.entry.SamplerMain;
import dev.stepwise.entry.TrainerMain;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reward jobs through the real entry points and conf tree, on hand-written samples and
 * rollouts: ORM and PRM (classes) training, prediction with both, best-of-N, and the errors a
 * user meets first.
 */
class RewardCliTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path tmp;
  ByteArrayOutputStream out = new ByteArrayOutputStream();
  ByteArrayOutputStream err = new ByteArrayOutputStream();
  Path sft;
  Path samples;
  Path rollouts;

  int run(boolean trainer, String confDir, String name, String... args) {
    out.reset();
    err.reset();
    Map<String, String> env = new HashMap<>(System.getenv());
    CliIo io = new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, ROOT);
    List<String> all = new ArrayList<>(List.of("-cp", ROOT.resolve(confDir).toString(), "-cn", name));
    all.addAll(List.of(args));
    String[] a = all.toArray(String[]::new);
    return trainer ? TrainerMain.run(a, io) : SamplerMain.run(a, io);
  }

  static String q(String s) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
  }

  @BeforeEach
  void data() throws Exception {
    List<String> sampleLines = new ArrayList<>();
    List<String> rolloutLines = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int a = 1 + i % 9;
      int b = 1 + (i * 5) % 9;
      String prompt = "Question: " + a + "+" + b + "?\nAnswer:\n";
      String good = a + "+" + b + "=" + (a + b) + "\n#### " + (a + b);
      String bad = a + "+" + b + "=" + (a + b + 1) + "\n#### " + (a + b + 1);
      texts.add(prompt + good + bad);
      String id = "arith-train-" + i;
      sampleLines.add("{\"id\":\"" + id + "\",\"prompt\":" + q(prompt) + ",\"label\":\"" + (a + b) + "\",\"response\":[" + q(bad) + "," + q(good) + "],\"pred\":[\"" + (a + b + 1) + "\",\"" + (a + b) + "\"]}");
      String[] resp = {bad, good};
      for (int r = 0; r < 2; r++) {
        String step0 = resp[r].substring(0, resp[r].indexOf('\n') + 1);
        int v = r == 1 ? 2 : 0;
        rolloutLines.add("{\"id\":\"" + id + "\",\"prompt\":" + q(prompt) + ",\"label\":\"" + (a + b) + "\",\"resp_id\":" + r + ",\"step_id\":0,\"state\":" + q(step0)
            + ",\"type\":\"inter\",\"completions\":[\"x\",\"y\"],\"value\":" + v + ",\"mc_value\":" + v / 2.0 + "}");
        rolloutLines.add("{\"id\":\"" + id + "\",\"prompt\":" + q(prompt) + ",\"label\":\"" + (a + b) + "\",\"resp_id\":" + r + ",\"step_id\":1,\"state\":" + q(resp[r])
            + ",\"type\":\"full\",\"completions\":[],\"value\":" + v + ",\"mc_value\":" + v / 2.0 + "}");
      }
    }
    samples = tmp.resolve("samples.jsonl");
    rollouts = tmp.resolve("rollouts.jsonl");
    Files.write(samples, sampleLines);
    Files.write(rollouts, rolloutLines);
    CharTokenizer tok = CharTokenizer.fromTexts(texts);
    sft = tmp.resolve("sft");
    try (NDManager m = NDManager.newBaseManager()) {
      ModelCheckpoint.save(sft, new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 16, 1, 2, 64, 0, 1e-5, 0.02), m, 1), tok);
    }
  }

  static final String[] TINY = {"trainer.max_steps=6", "trainer.logging_steps=3", "trainer.eval_steps=6", "trainer.save_steps=6",
      "trainer.per_device_train_batch_size=4", "trainer.progress_bar=false", "optim.lr=1e-3"};

  String[] with(String... extra) {
    List<String> l = new ArrayList<>(List.of(TINY));
    l.addAll(List.of(extra));
    return l.toArray(String[]::new);
  }

  @Test
  void ormAndPrmTrainPredictAndRankEndToEnd() throws Exception {
    Path orm = tmp.resolve("orm");
    assertEquals(0, run(true, "conf/exp/reward/arith", "tiny_orm", with("run.dir=" + orm, "reward.model_path=" + sft, "reward.train_file=" + samples)), err.toString());
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "reward_head.safetensors", "reward_head.json")) {
      assertTrue(Files.exists(orm.resolve("reward_model").resolve(f)), f);
    }
    String metrics = Files.readString(orm.resolve("metrics.jsonl"));
    assertTrue(metrics.contains("eval/auc") && metrics.contains("eval/step_accuracy") && metrics.contains("\"accuracy\""), metrics);

    Path prm = tmp.resolve("prm");
    assertEquals(0, run(true, "conf/exp/reward/arith", "tiny_prm", with("run.dir=" + prm, "reward.model_path=" + sft, "reward.train_file=" + rollouts, "reward.label_type=classes")), err.toString());
    assertTrue(Files.readString(prm.resolve("reward_model/reward_head.json")).contains("\"num_classes\" : 3"), "k = 2 rollouts: 3 classes");

    Path pp = tmp.resolve("prm_pred");
    assertEquals(0, run(false, "conf/exp/sample/arith", "tiny_predict", "run.dir=" + pp, "predict.model_path=" + prm.resolve("reward_model"), "predict.input_file=" + samples, "prm.prob_labels=[2]"), err.toString());
    List<JsonNode> preds = JsonlReader.readAll(pp.resolve("predictions.jsonl"));
    assertEquals(12, preds.size());
    for (JsonNode r : preds) {
      assertEquals(2, r.get("step_probs").size());
      assertFalse(r.get("correct").get(0).asBoolean());
      assertTrue(r.get("correct").get(1).asBoolean());
      for (int i = 0; i < 2; i++) {
        JsonNode steps = r.get("step_probs").get(i);
        assertEquals(2, steps.size(), "two steps: the equation and #### N");
        // tiny_predict sets prm.step_offset = 1 (the reference's math scripts): the answer step's
        // score is left out of every reduction, so with two steps each reward is the first step's
        double first = steps.get(0).asDouble();
        assertEquals(first, r.get("rewards").get("product").get(i).asDouble(), 1e-6);
        assertEquals(first, r.get("rewards").get("last").get(i).asDouble(), 1e-6);
        assertEquals(first, r.get("rewards").get("min").get(i).asDouble(), 1e-6);
        assertNotEquals(first, steps.get(1).asDouble(), "the two step scores differ, so leaving one out is visible");
      }
    }
    assertEquals(0, run(false, "conf/exp/sample/arith", "tiny_predict", "run.dir=" + pp, "predict.model_path=" + prm.resolve("reward_model"), "predict.input_file=" + samples, "prm.prob_labels=[2]"), err.toString());
    assertEquals(12, JsonlReader.readAll(pp.resolve("predictions.jsonl")).size(), "a re-run skips finished ids");

    Path op = tmp.resolve("orm_pred");
    assertEquals(0, run(false, "conf/exp/sample/arith", "tiny_predict", "run.dir=" + op, "predict.model_path=" + orm.resolve("reward_model"), "predict.input_file=" + samples), err.toString());
    Path bon = tmp.resolve("bon");
    assertEquals(0, run(false, "conf/exp/sample/arith", "tiny_best_of_n", "run.dir=" + bon,
        "best_of_n.prm_file=" + pp.resolve("predictions.jsonl"), "best_of_n.orm_file=" + op.resolve("predictions.jsonl")), err.toString());
    List<String> tsv = Files.readAllLines(bon.resolve("best_of_n.tsv"));
    assertEquals("method\taccuracy\tcorrect\tproblems\tauc", tsv.get(0));
    assertEquals("pass@2\t1.0\t12.0\t12\t", tsv.get(1));
    assertTrue(tsv.stream().anyMatch(l -> l.startsWith("random\t0.5\t")), String.join("\n", tsv));
    assertTrue(tsv.stream().anyMatch(l -> l.startsWith("majority\t0.0\t")), "ties go to the first response, the wrong one");
    assertEquals(9, tsv.size(), "header + pass@2, orm, 4 PRM reduces, majority, random");
  }

  @Test
  void userErrorsNameTheProblem() {
    assertEquals(2, run(true, "conf/exp/reward/arith", "tiny_orm", with("run.dir=" + tmp.resolve("a"), "reward.train_file=" + samples)));
    assertTrue(err.toString().contains("reward.model_path"), err.toString());
    assertEquals(2, run(true, "conf/exp/reward/arith", "tiny_prm", with("run.dir=" + tmp.resolve("b"), "reward.model_path=" + sft, "reward.train_file=" + rollouts, "reward.label_type=fuzzy")));
    assertTrue(err.toString().contains("soft, hard or classes"), err.toString());
    assertEquals(2, run(false, "conf/exp/sample/arith", "tiny_predict", "run.dir=" + tmp.resolve("c"), "predict.model_path=" + sft, "predict.input_file=" + samples));
    assertTrue(err.toString().contains("reward_head.json") && err.toString().contains("not a reward-model directory"), err.toString());
  }
}
