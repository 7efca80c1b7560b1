package dev.stepwise.search;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.cli.CliIo;
import dev.stepwise.entry.SamplerMain;
import dev.stepwise.generate.Completion;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.rl.prm.PrmReward;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import dev.stepwise.train.NoGrad;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search jobs {@code beam} and {@code mcts} end to end through {@code sampler.jar}'s entry
 * point and {@code conf/exp/search/arith}, with a random tiny GPT-2 policy (it writes short
 * garbage steps, so trees go to the depth limit) and a random tiny PRM saved as the PRM trainer
 * saves one: the tree's scores are the PRM's, the beam answer's score is the min of its path, the
 * MCTS* tree obeys its visit and value invariants, and a killed run resumes without loss or
 * duplicates.
 */
class SearchJobsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final ObjectMapper OM = new ObjectMapper();
  @TempDir Path tmp;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  Path policy;
  Path prm;
  Path lastRun;

  @BeforeEach
  void models() throws Exception {
    CharTokenizer tok = CharTokenizer.ascii();
    ModelConfig mc = new ModelConfig("gpt2", tok.vocabSize(), 32, 1, 2, 512, 0, 1e-5, 0.02);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM lm = new Gpt2Family().create(mc, m, 4);
      policy = tmp.resolve("policy");
      ModelCheckpoint.save(policy, lm, tok);
      RewardModel rm = RewardModel.create(new Gpt2Family().create(mc, m, 5), new HeadSpec("scalar", 1, "prm", "soft"), m, 5);
      try (NoGrad g = NoGrad.open()) {
        var w = rm.parameters().get(RewardModel.WEIGHT);
        w.set(w.mul(50f).toFloatArray());
      }
      prm = tmp.resolve("prm");
      rm.save(prm, tok);
    }
  }

  int run(String config, String... overrides) {
    out.reset();
    err.reset();
    CliIo io = new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new HashMap<>(System.getenv()), ROOT);
    lastRun = tmp.resolve("run-" + System.nanoTime());
    List<String> args = new ArrayList<>(List.of("-cp", ROOT.resolve("conf/exp/search/arith").toString(), "-cn", config,
        "run.dir=" + lastRun, "run.num_threads=1", "task.num_train=8", "task.num_test=4",
        "search.policy_path=" + policy, "prm.model_path=" + prm, "search.limit=3", "search.problems_in_flight=2",
        "search.max_steps=3", "search.max_step_tokens=4", "search.temperature=1.0"));
    args.addAll(List.of(overrides));
    return SamplerMain.run(args.toArray(String[]::new), io);
  }

  static List<JsonNode> read(Path f) throws Exception {
    List<JsonNode> r = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      r.add(OM.readTree(line));
    }
    return r;
  }

  /** @return per problem id, its nodes by index */
  static Map<String, Map<Integer, JsonNode>> trees(Path f) throws Exception {
    Map<String, Map<Integer, JsonNode>> t = new LinkedHashMap<>();
    for (JsonNode n : read(f)) {
      JsonNode old = t.computeIfAbsent(n.get("id").asText(), k -> new LinkedHashMap<>()).put(n.get("node").asInt(), n);
      assertNull(old, "node written twice: " + n);
    }
    return t;
  }

  @Test
  void beamSearchScoresStepsWithThePrmAndKeepsTheBestPath() throws Exception {
    Path dir = tmp.resolve("beam");
    assertEquals(0, run("beam", "search.output_dir=" + dir, "beam.num_proposed_steps=3", "beam.beam_width=2"), err.toString());
    List<JsonNode> results = read(dir.resolve("results.jsonl"));
    assertEquals(3, results.size());
    Map<String, Map<Integer, JsonNode>> trees = trees(dir.resolve("tree.jsonl"));
    ArithTask task = new ArithTask(ArithConfig.DEFAULTS);
    int checked = 0;
    try (PrmReward reward = PrmReward.load(new PrmConfig(prm.toString(), "min", 4), task, "test")) {
      for (JsonNode r : results) {
        Map<Integer, JsonNode> nodes = trees.get(r.get("id").asText());
        assertTrue(nodes.size() > 1 + 3, "the root and more than one round of children");
        // the chosen node is the terminal node at the end of the response's path; find it by text
        JsonNode chosen = null;
        for (JsonNode n : nodes.values()) {
          if (n.get("terminal").asBoolean() && text(nodes, n).equals(r.get("response").asText())) {
            chosen = n;
          }
        }
        assertNotNull(chosen, "the chosen response is a terminal path of the tree: " + r);
        assertEquals(3, chosen.get("depth").asInt(), "random steps never answer: the path ends at max_steps");
        double min = Double.POSITIVE_INFINITY;
        List<Double> scores = new ArrayList<>();
        for (JsonNode n = chosen; n.get("parent").asInt() >= 0; n = nodes.get(n.get("parent").asInt())) {
          min = Math.min(min, n.get("step_score").asDouble());
          scores.add(0, n.get("step_score").asDouble());
        }
        assertEquals(min, r.get("score").asDouble(), 1e-12, "beam score = min of the path's step scores");
        // the step scores are the PRM's own, recomputed from the response text
        String prompt = r.get("prompt").asText();
        assertTrue(prompt.startsWith("Question: ") && prompt.endsWith("\nAnswer:\n"), prompt);
        Problem p = new Problem(r.get("id").asText(), prompt.substring(10, prompt.length() - 9), "", r.get("label").asText());
        assertEquals(prompt, task.prompt(p));
        String resp = r.get("response").asText();
        double[] again = reward.stepScores(p, new Completion(resp, new int[0], Completion.STOP, 0, new float[0]),
            task.splitSteps(resp).size());
        if (again.length == scores.size()) {
          checked++;
          for (int k = 0; k < again.length; k++) {
            assertEquals(scores.get(k), again[k], 1e-5, "step " + k + " of " + resp);
          }
        }
        // its siblings were ranked in the same pool: none has a better path score
        for (JsonNode sib : nodes.values()) {
          if (sib.get("parent").asInt() == chosen.get("parent").asInt() && sib.get("terminal").asBoolean()) {
            assertTrue(pathMin(nodes, sib) <= min + 1e-12, "a sibling with a better path score was not chosen: " + sib);
          }
        }
        assertTrue(r.get("tokens").asLong() > 0);
        assertTrue(r.get("proposed").asLong() >= 3, "at least one round of 3 proposals");
      }
    }
    assertTrue(checked > 0, "no response re-scored");
    String metrics = Files.readString(lastRun.resolve("metrics.jsonl"));
    assertTrue(metrics.contains("beam/accuracy") && metrics.contains("beam/tokens_per_second"), metrics);
  }

  @Test
  void mctsTreeObeysVisitAndValueInvariantsAndResumes() throws Exception {
    Path dir = tmp.resolve("mcts");
    String[] o = {"search.output_dir=" + dir, "mcts.iteration_limit=6", "mcts.branch=2", "mcts.end_gate=2"};
    assertEquals(0, run("mcts", o), err.toString());
    List<JsonNode> results = read(dir.resolve("results.jsonl"));
    assertEquals(3, results.size());
    Map<String, Map<Integer, JsonNode>> trees = trees(dir.resolve("tree.jsonl"));
    for (Map<Integer, JsonNode> nodes : trees.values()) {
      assertEquals(6, nodes.get(0).get("visits").asInt(), "every iteration visits the root once");
      for (JsonNode n : nodes.values()) {
        List<JsonNode> kids = nodes.values().stream().filter(c -> c.get("parent").asInt() == n.get("node").asInt()).toList();
        if (kids.isEmpty() || n.get("terminal").asBoolean()) {
          continue;
        }
        int childVisits = kids.stream().mapToInt(c -> c.get("visits").asInt()).sum();
        int expansions = n.get("node").asInt() == 0 ? 0 : 1;
        if (n.get("node").asInt() != 0) {
          assertEquals(expansions + childVisits, n.get("visits").asInt(), "N = 1 (its expansion) + children's N: " + n);
        }
        if (childVisits > 0) {
          double mean = kids.stream().mapToDouble(c -> c.get("visits").asInt() * c.get("value").asDouble()).sum() / childVisits;
          assertEquals(mean, n.get("value").asDouble(), 1e-9, "V = visit-weighted mean of the children: " + n);
        }
      }
    }
    // value targets: the test split has labels, so the exports exist (rows only for judged paths)
    assertTrue(Files.exists(dir.resolve("value_rows.jsonl")));
    for (JsonNode row : read(dir.resolve("value_rows.jsonl"))) {
      assertEquals(0.0, row.get("mc_value").asDouble(), 1e-12, "random garbage never answers right: every target is 0");
    }

    // a kill after the trees of the last batch but before its results: drop the last result line
    List<String> lines = Files.readAllLines(dir.resolve("results.jsonl"));
    String lost = OM.readTree(lines.get(lines.size() - 1)).get("id").asText();
    Files.write(dir.resolve("results.jsonl"), lines.subList(0, lines.size() - 1));
    Files.writeString(dir.resolve("tree.jsonl"), "{\"id\":\"" + lost + "\",\"no", java.nio.file.StandardOpenOption.APPEND);
    assertEquals(0, run("mcts", o), err.toString());
    List<JsonNode> again = read(dir.resolve("results.jsonl"));
    Set<String> ids = new HashSet<>();
    again.forEach(r -> assertTrue(ids.add(r.get("id").asText()), "duplicate result " + r));
    assertEquals(3, ids.size());
    Map<String, Map<Integer, JsonNode>> t2 = trees(dir.resolve("tree.jsonl"));
    assertEquals(3, t2.size());
    for (Map<Integer, JsonNode> nodes : t2.values()) {
      for (int i = 0; i < nodes.size(); i++) {
        assertTrue(nodes.containsKey(i), "node indices 0..n-1 once each");
      }
    }
  }

  @Test
  void omegaprmWritesSeedStatisticsAndResumes() throws Exception {
    Path dir = tmp.resolve("omega");
    out.reset();
    err.reset();
    CliIo io = new CliIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new HashMap<>(System.getenv()), ROOT);
    String[] args = {"-cp", ROOT.resolve("conf/exp/search/arith").toString(), "-cn", "omegaprm", "run.dir=" + tmp.resolve("orun"),
        "run.num_threads=1", "task.num_train=8", "task.num_test=4", "omegaprm.policy_path=" + policy, "omegaprm.limit=3",
        "omegaprm.questions_in_flight=2", "omegaprm.num_rollouts=2", "omegaprm.search_limit=6", "omegaprm.max_tokens=8",
        "omegaprm.output_dir=" + dir};
    assertEquals(0, SamplerMain.run(args, io), err.toString());
    List<JsonNode> qs = read(dir.resolve("questions.jsonl"));
    assertEquals(3, qs.size());
    for (JsonNode q : qs) {
      assertEquals(2, q.get("seed_samples").asInt(), "the seed: k samples with their correctness");
      assertTrue(q.get("completions").asInt() <= 6 + 2 * 3, "the budget plus at most one running search");
    }
    assertEquals(0, SamplerMain.run(args, io), err.toString());
    assertEquals(Files.readAllLines(dir.resolve("questions.jsonl")).size(), 3, "a re-run adds nothing");
  }

  @Test
  void misspeltKeyIsADidYouMeanError() {
    assertNotEquals(0, run("beam", "+beam.beam_widht=3"));
    assertTrue(err.toString().contains("beam_width"), err.toString());
  }

  static String text(Map<Integer, JsonNode> nodes, JsonNode n) {
    List<String> steps = new ArrayList<>();
    for (JsonNode x = n; x.get("parent").asInt() >= 0; x = nodes.get(x.get("parent").asInt())) {
      steps.add(0, x.get("step").asText());
    }
    return String.join("\n", steps);
  }

  static double pathMin(Map<Integer, JsonNode> nodes, JsonNode n) {
    double m = Double.POSITIVE_INFINITY;
    for (JsonNode x = n; x.get("parent").asInt() >= 0; x = nodes.get(x.get("parent").asInt())) {
      m = Math.min(m, x.get("step_score").asDouble());
    }
    return m;
  }
}
