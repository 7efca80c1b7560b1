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
import dev.stepwise.reward.synth.RolloutRecord;
import dev.stepwise.sample.SampleRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sampler.jar job=pairs} with the {@code first_pit} and {@code step} builders through the
 * real entry point and {@code tiny_first_pit_pairs.conf} / {@code tiny_step_pairs.conf}, called
 * the way the pipeline calls them (output in {@code <run.dir>/pairs.jsonl}), then {@code
 * trainer.jar} {@code tiny_dpo} trains two steps on each pairs file.
 *
 * <p>The explorer is a random tiny GPT-2: its continuations never state the (six-digit) answers,
 * so every explored response pits at step 1 and its pair's chosen is its outcome pair's chosen,
 * which makes the expected pairs exact.
 */
class PitStepPairsJobTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();

  CliIo io() {
    err.reset();
    out.reset();
    return new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), new HashMap<>(System.getenv()), ROOT);
  }

  static String[] args(String dir, String name, String... rest) {
    List<String> a = new ArrayList<>(List.of("-cp", ROOT.resolve(dir).toString(), "-cn", name,
        "task.num_train=4", "task.num_test=2", "run.num_threads=1"));
    a.addAll(List.of(rest));
    return a.toArray(String[]::new);
  }

  Path checkpoint() throws Exception {
    CharTokenizer tok = CharTokenizer.ascii();
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 16, 1, 2, 256, 0, 1e-5, 0.02), m, 5);
      ModelCheckpoint.save(tmp.resolve("ckpt"), model, tok);
    }
    return tmp.resolve("ckpt");
  }

  static List<JsonNode> read(Path f) throws Exception {
    List<JsonNode> r = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      r.add(JSON.readTree(line));
    }
    return r;
  }

  int dpo(Path ckpt, Path pairs, String run) {
    return TrainerMain.run(args("conf/exp/dpo/arith", "tiny_dpo", "run.dir=" + tmp.resolve(run), "dpo.model_path=" + ckpt,
        "dpo.train_file=" + pairs, "dpo.eval_file=" + pairs, "trainer.max_steps=2", "trainer.logging_steps=1",
        "trainer.eval_steps=2", "trainer.save_steps=2", "trainer.progress_bar=false", "eval.num_problems=0",
        "eval.max_tokens=4", "test.num_problems=1", "trainer.per_device_train_batch_size=2"), io());
  }

  @Test
  void firstPitPairsFromTheEntryPointTrainWithDpo() throws Exception {
    Path ckpt = checkpoint();
    Path samples = tmp.resolve("samples.jsonl");
    String q = "Question: a has 500000 and gets 487654. How many?\nAnswer:\n";
    String good = "a has 500000\n500000+487654=987654\n#### 987654";
    String good2 = "500000+487654=987654\n#### 987654";
    try (JsonlAppender a = JsonlAppender.open(samples)) {
      a.append(new SampleRecord("p0", q, "987654", List.of(good, "a has 500000\n500000+487654=987655\n#### 987655",
          "a has 400000\n#### 887654", good, "b\n#### 1", good2), List.of()));
      a.append(new SampleRecord("p1", q, "987654", List.of(good), List.of()));
    }
    Path run = tmp.resolve("pit_run");
    String[] pit = args("conf/exp/sample/arith", "tiny_first_pit_pairs", "run.dir=" + run, "pairs.samples_file=" + samples,
        "pairs.explorer_path=" + ckpt, "pairs.k=2", "pairs.max_tokens=6", "pairs.batch_size=2");
    assertEquals(0, SamplerMain.run(pit, io()), err.toString(StandardCharsets.UTF_8));
    List<JsonNode> pairs = read(run.resolve("pairs.jsonl"));
    assertEquals(2, pairs.size(), pairs.toString());
    assertEquals(List.of("id", "prompt", "chosen", "rejected", "is_full", "chosen_reward", "rejected_reward", "chosen_eos"),
        fields(pairs.get(0)));
    for (JsonNode p : pairs) {
      assertEquals("p0", p.get("id").asText());
      assertEquals(q, p.get("prompt").asText(), "pit at step 1: the bare question");
      assertFalse(p.get("is_full").asBoolean(), "no EOS after the rejected");
      assertTrue(p.get("chosen_eos").asBoolean(), "EOS after the chosen");
      assertEquals(1.0, p.get("chosen_reward").asDouble());
    }
    // outcome pairs by edit distance: good with "b\n#### 1" (39 edits), good2 with the 400000 one
    // (20 edits); the 987655 response (2 edits from good) is left unpaired, p1 has no incorrect one
    assertEquals(List.of(good, good2), pairs.stream().map(p -> p.get("chosen").asText()).toList());
    assertEquals(List.of("b\n", "a has 400000\n"), pairs.stream().map(p -> p.get("rejected").asText()).toList());
    String summary = Files.readString(run.resolve("metrics.jsonl"));
    assertTrue(summary.contains("\"pairs/pit_step_1\":2") && summary.contains("\"pairs/incorrect_unpaired\":1")
        && summary.contains("\"pairs/rejected_responses\":2"), summary);
    assertEquals(0, dpo(ckpt, run.resolve("pairs.jsonl"), "dpo_pit"), err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.exists(tmp.resolve("dpo_pit/checkpoints/checkpoint-2/model.safetensors")));

    assertNotEquals(0, SamplerMain.run(args("conf/exp/sample/arith", "tiny_first_pit_pairs", "run.dir=" + tmp.resolve("bad"),
        "pairs.samples_file=" + samples, "pairs.explorer_path=" + ckpt, "+pairs.kk=3"), io()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("pairs.k") || err.toString(StandardCharsets.UTF_8).contains("'k'"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void stepPairsFromTheEntryPointTrainWithDpo() throws Exception {
    Path ckpt = checkpoint();
    Path rollouts = tmp.resolve("rollouts.jsonl");
    String q = "Question: q\nAnswer:\n";
    try (JsonlAppender a = JsonlAppender.open(rollouts)) {
      for (String id : List.of("p0", "p1")) {
        a.append(new RolloutRecord(id, q, "5", 0, 1, "2+1=3\n3+2=5\n", "inter", List.of("x", "y"), 2, 1.0));
        a.append(new RolloutRecord(id, q, "5", 1, 1, "2+1=3\n3+1=4\n", "inter", List.of("x", "y"), 0, 0.0));
        a.append(new RolloutRecord(id, q, "5", 2, 1, "2+1=3\n3+3=6\n", "inter", List.of("x", "y"), 1, 0.5));
      }
    }
    Path run = tmp.resolve("step_run");
    assertEquals(0, SamplerMain.run(args("conf/exp/sample/arith", "tiny_step_pairs", "run.dir=" + run,
        "pairs.rollouts_file=" + rollouts), io()), err.toString(StandardCharsets.UTF_8));
    List<JsonNode> pairs = read(run.resolve("pairs.jsonl"));
    assertEquals(2, pairs.size(), "per problem: 1.0 vs 0.0 only (margin 0.5 is strict)");
    for (JsonNode p : pairs) {
      assertEquals(q + "2+1=3\n", p.get("prompt").asText());
      assertEquals("3+2=5\n", p.get("chosen").asText());
      assertEquals("3+1=4\n", p.get("rejected").asText());
      assertFalse(p.get("is_full").asBoolean());
    }
    assertEquals(0, dpo(ckpt, run.resolve("pairs.jsonl"), "dpo_step"), err.toString(StandardCharsets.UTF_8));
  }

  static List<String> fields(JsonNode n) {
    List<String> f = new ArrayList<>();
    n.fieldNames().forEachRemaining(f::add);
    return f;
  }
}
