package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.cli.CliIo;
import dev.stepwise.data.JsonlAppender;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preference stage through the real entry points and conf tree: {@code sampler.jar
 * job=pairs} (tiny_pairs) builds outcome pairs from a samples file, {@code trainer.jar
 * objective=dpo} (tiny_dpo) trains on them with cached reference log-probs, and tiny_rft
 * fine-tunes on the correct samples.
 */
class PreferenceJobsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final String[] TASK = {"task.num_train=40", "task.num_test=10", "task.max_steps=1"};

  @TempDir Path tmp;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  CliIo io() {
    return new CliIo(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new HashMap<>(System.getenv()), ROOT);
  }

  static String[] args(String dir, String name, String... rest) {
    List<String> a = new ArrayList<>(List.of("-cp", ROOT.resolve(dir).toString(), "-cn", name));
    a.addAll(List.of(TASK));
    a.addAll(List.of(rest));
    return a.toArray(String[]::new);
  }

  @Test
  void pairsThenDpoThenRftRunEndToEnd() throws Exception {
    // The arith problems the configs will generate (conf/task/arith.conf with the TASK overrides).
    ArithTask task = new ArithTask(ArithConfig.of(1, 1, null, null, null, 40, 10, 42L));
    List<Problem> train = task.problems("train", 0);
    List<String> texts = new ArrayList<>();
    for (Problem p : task.problems("train", 0)) {
      texts.add(task.prompt(p));
      texts.add(task.target(p));
    }
    task.problems("test", 0).forEach(p -> texts.add(task.prompt(p)));
    CharTokenizer tok = CharTokenizer.fromTexts(texts);
    Path ckpt = tmp.resolve("init");
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 32, 1, 2, 256, 0, 1e-5, 0.02), m, 1);
      ModelCheckpoint.save(ckpt, model, tok);
    }
    // Samples: each problem's reference solution (correct, twice) and two wrong answers.
    Path samples = tmp.resolve("samples.jsonl");
    try (JsonlAppender out = JsonlAppender.open(samples)) {
      for (Problem p : train) {
        String good = task.target(p);
        String bad1 = good.replaceAll("#### \\d+", "#### 1" + p.label());
        String bad2 = good.replaceAll("#### \\d+", "#### 2" + p.label());
        out.append(new SampleRecord(p.id(), task.prompt(p), p.label(), List.of(good, bad1, good, bad2), List.of()));
      }
    }

    Path pairs = tmp.resolve("pairs.jsonl");
    int rc = SamplerMain.run(args("conf/exp/sample/arith", "tiny_pairs", "run.dir=" + tmp.resolve("pairs_run"),
        "pairs.samples_file=" + samples, "pairs.output_file=" + pairs, "pairs.max_pairs_per_problem=1"), io());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertEquals(train.size(), Files.readAllLines(pairs).size(), "one pair per problem after the cap");

    Path dpoRun = tmp.resolve("dpo_run");
    rc = TrainerMain.run(args("conf/exp/dpo/arith", "tiny_dpo", "run.dir=" + dpoRun, "dpo.model_path=" + ckpt,
        "dpo.train_file=" + pairs, "dpo.eval_fraction=0.25", "dpo.beta=0.5", "optim.lr=3e-3",
        "trainer.max_steps=6", "trainer.logging_steps=2", "trainer.eval_steps=3", "trainer.progress_bar=false",
        "eval.num_problems=0", "eval.max_tokens=8", "test.num_problems=2"), io());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    List<JsonNode> recs = new ArrayList<>();
    for (String line : Files.readAllLines(dpoRun.resolve("metrics.jsonl"))) {
      recs.add(new ObjectMapper().readTree(line));
    }
    for (String key : List.of("loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins",
        "logps/chosen", "logps/rejected", "eval/loss", "eval/rewards/accuracies", "test/accuracy")) {
      assertTrue(recs.stream().anyMatch(n -> n.has(key)), key + " never logged");
    }
    try (Stream<Path> s = Files.list(dpoRun.resolve("ref_logps"))) {
      assertEquals(2, s.count(), "train and eval reference log-probs cached");
    }
    assertTrue(Files.exists(dpoRun.resolve("checkpoints/checkpoint-6/model.safetensors")));

    Path rftRun = tmp.resolve("rft_run");
    rc = TrainerMain.run(args("conf/exp/sft/arith", "tiny_rft", "run.dir=" + rftRun, "model_path=" + ckpt,
        "data.samples_file=" + samples, "trainer.max_steps=3", "trainer.logging_steps=1", "trainer.progress_bar=false",
        "eval.num_problems=0", "eval.max_tokens=8", "test.num_problems=2"), io());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.readString(rftRun.resolve("run.log")).contains("RFT: " + train.size() + " deduplicated correct responses"));

    // tiny_rft without a samples file is a user error, not a silent SFT.
    rc = TrainerMain.run(args("conf/exp/sft/arith", "tiny_rft", "run.dir=" + tmp.resolve("bad"), "model_path=" + ckpt), io());
    assertEquals(2, rc);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("data.samples_file"));
  }
}
