package dev.stepwise.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.cli.CliIo;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.reward.synth.RolloutRunner;
import dev.stepwise.reward.synth.StateRecord;
import dev.stepwise.reward.synth.StateSampler;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
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
 * The trajectory jobs through {@code sampler.jar}'s entry point and the repository's configs:
 * sample (with the greedy pass), states (with shards, arith and LogiQA-v2 ReAct), rollouts (with
 * a random tiny GPT-2 checkpoint, then a no-op re-run), checking the record contracts.
 */
class SynthJobsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final ObjectMapper OM = new ObjectMapper();
  @TempDir Path tmp;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String task, String config, String... overrides) {
    out.reset();
    err.reset();
    CliIo io = new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new HashMap<>(System.getenv()), ROOT);
    lastRun = tmp.resolve("run-" + config + "-" + System.nanoTime());
    List<String> args = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/sample/" + task).toString(), "-cn", config,
        "run.dir=" + lastRun, "run.num_threads=1"));
    args.addAll(List.of(overrides));
    return SamplerMain.run(args.toArray(String[]::new), io);
  }

  Path lastRun;

  /** @return the metrics.jsonl lines of the last run (the summary is among them) */
  String stdout() throws Exception {
    return Files.readString(lastRun.resolve("metrics.jsonl"));
  }

  static List<JsonNode> read(Path f) throws Exception {
    List<JsonNode> r = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      r.add(OM.readTree(line));
    }
    return r;
  }

  Path checkpoint() throws Exception {
    CharTokenizer tok = CharTokenizer.ascii();
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 32, 1, 2, 512, 0, 1e-5, 0.02), m, 4);
      ModelCheckpoint.save(tmp.resolve("ckpt"), model, tok);
    }
    return tmp.resolve("ckpt");
  }

  @Test
  void sampleStatesRolloutsEndToEnd() throws Exception {
    Path ckpt = checkpoint();
    Path samples = tmp.resolve("samples.jsonl");
    assertEquals(0, run("arith", "tiny_sample", "sample.model_path=" + ckpt, "sample.output_file=" + samples,
        "sample.limit=6", "sample.batch_size=4", "api.vllm_params.max_tokens=24"), err.toString());
    assertEquals(6, read(samples).size());
    assertEquals(6, read(tmp.resolve("samples.greedy.jsonl")).size());
    assertTrue(stdout().contains("sample/greedy_accuracy") && stdout().contains("sample/maj@4") && stdout().contains("sample/pass@4"), stdout());

    // states from hand-written multi-step responses (a random model rarely writes newlines)
    Path handSamples = tmp.resolve("hand.jsonl");
    List<SampleRecord> hand = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String a = "a has " + i + " apples\nb gets 2 more\nso " + (i + 2) + "\n#### " + (i + 2);
      hand.add(new SampleRecord("arith-test-" + i, "Question: q" + i + "\nAnswer:\n", String.valueOf(i + 2), List.of(a, "x\n#### 1"), List.of(String.valueOf(i + 2), "1")));
    }
    Files.write(handSamples, hand.stream().map(r -> { try { return OM.writeValueAsString(r); } catch (Exception e) { throw new RuntimeException(e); } }).toList());
    Path states = tmp.resolve("states.jsonl");
    assertEquals(0, run("arith", "tiny_states", "states.input_file=" + handSamples, "states.output_file=" + states,
        "states.ratio=0.5", "states.ratio_s=0.5", "states.seed=3", "states.split_num=3"), err.toString());
    List<JsonNode> st = read(states);
    List<String> expected = new ArrayList<>();
    StateSampler sampler = new StateSampler(0.5, 0.5, 3);
    ArithTask arith = new ArithTask(ArithConfig.DEFAULTS);
    for (SampleRecord r : hand) {
      sampler.states(r, arith).forEach(s -> { try { expected.add(OM.writeValueAsString(s)); } catch (Exception e) { throw new RuntimeException(e); } });
    }
    assertEquals(expected, Files.readAllLines(states));
    assertTrue(st.size() > 0, "no states kept");
    List<String> joined = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      joined.addAll(Files.readAllLines(tmp.resolve("states." + i + "-of-3.jsonl")));
    }
    assertEquals(Files.readAllLines(states), joined);
    for (JsonNode s : st) {
      assertEquals(List.of("id", "prompt", "label", "resp_id", "step_id", "state", "type"), fields(s));
      int step = s.get("step_id").asInt();
      // the reference's int((L-1)*ratio_s): 4 steps: int(1.5)=1 .. 4-2; 2 steps ("x", "#### 1"): int(0.5)=0 .. 0
      assertTrue(s.get("resp_id").asInt() == 0 ? step >= 1 && step <= 2 : step == 0, s.toString());
    }

    Path rollouts = tmp.resolve("rollouts.jsonl");
    String[] ro = {"rollouts.model_path=" + ckpt, "rollouts.states_file=" + states, "rollouts.samples_file=" + handSamples,
        "rollouts.output_file=" + rollouts, "rollouts.batch_size=2", "api.vllm_params.n=3", "api.vllm_params.max_tokens=8"};
    assertEquals(0, run("arith", "tiny_rollouts", ro), err.toString());
    List<JsonNode> rr = read(rollouts);
    // a state with an empty rollout is dropped into rollouts.dropped.jsonl, unlabelled (issue 20)
    assertEquals(st.size() + 10, rr.size() + RolloutRunner.droppedCount(rollouts));
    int full = 0;
    for (JsonNode r : rr) {
      assertEquals(List.of("id", "prompt", "label", "resp_id", "step_id", "state", "type", "completions", "value", "mc_value"), fields(r));
      int v = r.get("value").asInt();
      if (r.get("type").asText().equals("full")) {
        full++;
        assertEquals(0, r.get("completions").size());
        boolean correct = !r.get("state").asText().equals("x\n#### 1");
        assertEquals(correct ? 3 : 0, v, r.toString());
        assertEquals(correct ? 1.0 : 0.0, r.get("mc_value").asDouble());
      } else {
        assertEquals(StateRecord.INTER, r.get("type").asText());
        assertEquals(3, r.get("completions").size());
        assertTrue(v >= 0 && v <= 3);
        assertEquals(v / 3.0, r.get("mc_value").asDouble(), 1e-12);
      }
    }
    assertEquals(10, full);
    assertTrue(stdout().contains("rollouts/states_per_second"), stdout());
    assertEquals(0, run("arith", "tiny_rollouts", ro), err.toString());
    assertTrue(stdout().contains("\"rollouts/generated\":0"), stdout());
    assertEquals(rr.size(), read(rollouts).size());
  }

  @Test
  void logiqa2StatesSplitReactStepsAndUnknownJobsAreListed() throws Exception {
    Path samples = tmp.resolve("react.jsonl");
    String resp = " B is ruled out.\nAction 1: Search[C]\nObservation 1: C holds.\nThought 2: So C.\nAction 2: Finish[C]";
    Files.writeString(samples, OM.writeValueAsString(new SampleRecord("logiqa2-dev-0", "Context:\nx\n\nThought 1:", "C", List.of(resp), List.of("C"))) + "\n");
    Path states = tmp.resolve("s.jsonl");
    assertEquals(0, run("logiqa2", "tiny_states", "states.input_file=" + samples, "states.output_file=" + states), err.toString());
    List<String> got = read(states).stream().map(n -> n.get("state").asText()).toList();
    assertEquals(List.of(" B is ruled out.\n", " B is ruled out.\nAction 1: Search[C]\n", " B is ruled out.\nAction 1: Search[C]\nObservation 1: C holds.\n",
        " B is ruled out.\nAction 1: Search[C]\nObservation 1: C holds.\nThought 2: So C.\n"), got);
    assertEquals(2, run("arith", "tiny_states", "job=rollout"));
    assertTrue(err.toString().contains("rollouts") && err.toString().contains("states"), err.toString());
  }

  @Test
  void gsm8kSolutionsSplitByQuestion() throws Exception {
    Path data = Path.of(System.getenv().getOrDefault("STEPWISE_DATA", "../shared/data"));
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(data.resolve("gsm8k/example_model_solutions.jsonl")),
        "shared data missing under " + data + " (set STEPWISE_DATA)");
    Path out = tmp.resolve("sol.jsonl");
    assertEquals(0, run("gsm8k", "solutions", "solutions.output_file=" + out), err.toString());
    List<JsonNode> all = read(out);
    List<JsonNode> train = read(tmp.resolve("sol.train.jsonl"));
    List<JsonNode> held = read(tmp.resolve("sol.heldout.jsonl"));
    assertEquals(1319, all.size());
    assertEquals(1055, train.size()); // round(0.8 * 1319)
    assertEquals(264, held.size());
    var trainIds = new java.util.HashSet<String>();
    train.forEach(n -> trainIds.add(n.get("id").asText()));
    held.forEach(n -> assertTrue(!trainIds.contains(n.get("id").asText()), n.get("id").asText()));
    // the reward side's question split (used for the GSM8K reward-model results) draws the same held-out set
    var heldIds = new java.util.HashSet<String>();
    held.forEach(n -> heldIds.add(n.get("id").asText()));
    assertEquals(dev.stepwise.reward.data.QuestionSplit.heldOut(all.stream().map(n -> n.get("id").asText()).toList(), 0.2, 42), heldIds);
    JsonNode first = all.get(0);
    assertEquals("gsm8k-test-0", first.get("id").asText());
    assertEquals("18", first.get("label").asText());
    assertTrue(first.get("prompt").asText().startsWith("Question: Janet"));
    assertEquals(4, first.get("response").size());
    assertEquals("26", first.get("pred").get(0).asText());
    assertEquals(false, first.get("is_correct").get(0).asBoolean());
  }

  static List<String> fields(JsonNode n) {
    List<String> f = new ArrayList<>();
    n.fieldNames().forEachRemaining(f::add);
    return f;
  }
}
