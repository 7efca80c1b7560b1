package dev.stepwise.rl.prm;

import dev.stepwise.reward.predict.Reduce;
import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.rl.AnswerReward;
import dev.stepwise.rl.GrpoConfig;
import dev.stepwise.rl.GrpoObjective;
import dev.stepwise.rl.GrpoRollouts;
import dev.stepwise.rl.RewardFunction;
import dev.stepwise.rl.TinyRl;
import dev.stepwise.task.Problem;
import dev.stepwise.train.ParameterCheckpoint;
import dev.stepwise.train.TinyModels;
import dev.stepwise.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PRM reward on a real (randomly initialised, saved and reloaded) tiny reward model: one
 * finite probability per step, batched equals one by one, deterministic, the reduces, and one
 * GRPO step with {@code reward_funcs = [answer, prm]}.
 */
class PrmRewardTest {
  @TempDir Path dir;
  private final TinyRl t = new TinyRl();

  private Completion completion(String text) {
    return new Completion(text, t.tok.encode(text), Completion.STOP, 0, new float[0]);
  }

  private List<Problem> problems(int n) {
    return t.train.subList(0, n);
  }

  private List<Completion> targets(List<Problem> ps) {
    List<Completion> out = new ArrayList<>();
    for (Problem p : ps) {
      out.add(completion(t.task.target(p)));
    }
    return out;
  }

  @Test
  void oneFiniteProbabilityPerStepDeterministicAndBatched() throws Exception {
    for (int classes : new int[] {1, 5}) {
      Path d = t.savePrm(dir.resolve("prm" + classes), 11, classes);
      try (PrmReward prm = PrmReward.load(new PrmConfig(d.toString(), "min", 3), t.task, "test")) {
        List<Problem> ps = problems(7);
        List<Completion> cs = targets(ps);
        int[] n = new int[ps.size()];
        for (int i = 0; i < n.length; i++) {
          n[i] = t.task.splitSteps(cs.get(i).text()).size();
          assertTrue(n[i] >= 2, "arith targets have several steps");
        }
        List<double[]> a = prm.stepScores(ps, cs, n);
        List<double[]> b = prm.stepScores(ps, cs, n);
        boolean anyDiffer = false;
        for (int i = 0; i < n.length; i++) {
          assertEquals(n[i], a.get(i).length, "one score per step");
          // equal up to float rounding: the Java decoder's vector reductions (reduceLanes ADD in its
          // norms and softmax) may sum lanes in another order once C2 has compiled them, so a first
          // and a second call can differ in the last bits (seen: 1.3e-8)
          assertArrayEquals(a.get(i), b.get(i), 1e-6, "not deterministic");
          double[] single = prm.stepScores(ps.get(i), cs.get(i), n[i]);
          assertArrayEquals(a.get(i), single, 1e-5, "batched differs from one by one");
          for (double v : a.get(i)) {
            assertTrue(Double.isFinite(v) && v >= 0 && v <= 1, "score " + v);
          }
          anyDiffer |= a.get(i)[0] != a.get(i)[n[i] - 1];
          assertEquals(Arrays.stream(a.get(i)).min().getAsDouble(), prm.score(ps.get(i), cs.get(i)), 1e-6, "reduce min");
        }
        assertTrue(anyDiffer, "the PRM gives every step the same score: it does not read the steps");
        // an empty completion has no step: a single 0
        assertArrayEquals(new double[] {0}, prm.stepScores(ps.get(0), completion(""), 0));
      }
    }
  }

  @Test
  void shippedConfigBinds() {
    var c = com.typesafe.config.ConfigFactory.parseFile(Path.of("..", "conf", "exp", "ppo", "arith", "tiny_grpo_prm.conf").toFile());
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    PrmConfig p = mapper.convertValue(c.getConfig("prm").root().unwrapped(), PrmConfig.class);
    assertNull(p.modelPath());
    assertEquals(Reduce.MIN, p.reduction());
    GrpoConfig g = mapper.convertValue(c.getConfig("grpo").root().unwrapped(), GrpoConfig.class);
    assertEquals(List.of("answer", "prm"), g.rewardFuncs());
    assertEquals(0.5, g.weight(1));
  }

  @Test
  void reducesAndConfigErrors() {
    double[] p = {0.5, 0.2, 0.8};
    assertEquals(0.2, Reduce.MIN.apply(p), 1e-12);
    assertEquals(0.8, Reduce.LAST.apply(p), 1e-12);
    assertEquals(1.5, Reduce.SUM.apply(p), 1e-12);
    assertEquals(0.08, Reduce.PRODUCT.apply(p), 1e-12);
    assertEquals(0, Reduce.SUM.apply(new double[0]));
    UserError e = assertThrows(UserError.class, () -> new PrmConfig(null, "max", null));
    assertTrue(e.getMessage().contains("prm.reduce"), e.getMessage());
    e = assertThrows(UserError.class, () -> PrmReward.load(new PrmConfig(dir.resolve("nope").toString(), "min", 4), t.task, "x.conf:3"));
    assertTrue(e.getMessage().contains("prm.model_path"), e.getMessage());
  }

  @Test
  void grpoWithPrmRewardRunsOneStep() throws Exception {
    Path d = t.savePrm(dir.resolve("prm"), 11, 1);
    GrpoConfig g = new GrpoConfig("unused", 4, 24, 1.0, 1.0, 0.2, null, 0.0, "group", "dapo",
        List.of("answer", "prm"), List.of(1.0, 0.5));
    try (NDManager m = NDManager.newBaseManager();
        PrmReward prm = PrmReward.load(new PrmConfig(d.toString(), "sum", 8), t.task, "test")) {
      CausalLM policy = t.policy(m, 3);
      Map<String, float[]> before = TinyModels.snapshot(policy.parameters());
      Map<String, float[]> prmBefore = TinyModels.snapshot(prm.model().parameters());
      var tracker = new TinyModels.RecordingTracker();
      List<RewardFunction> rewards = List.of(new AnswerReward(t.task), prm);
      GrpoRollouts data = new GrpoRollouts(t.task, t.train, t.tok, new Sampler(policy, t.tok, 16), g, rewards, null, 5L);
      new Trainer<>(
              TinyModels.trainerConfig("max_steps = 1, per_device_train_batch_size = 2, logging_steps = 1, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 1e-3, lr_scheduler_type = constant"),
              policy.parameters(), new GrpoObjective(policy, g.lossParams()), data,
              new ParameterCheckpoint(policy.parameters()), dir.resolve("run"))
          .withTrackers(List.of(tracker))
          .train();
      List<Double> prmMean = new ArrayList<>(tracker.series("rewards/prm/mean").values());
      assertEquals(1, prmMean.size());
      assertTrue(prmMean.get(0) > 0 && prmMean.get(0) < 1, "prm reward " + prmMean);
      Map<String, float[]> after = TinyModels.snapshot(policy.parameters());
      assertTrue(before.keySet().stream().anyMatch(k -> !Arrays.equals(before.get(k), after.get(k))), "policy unchanged");
      Map<String, float[]> prmAfter = TinyModels.snapshot(prm.model().parameters());
      for (String k : prmBefore.keySet()) {
        assertArrayEquals(prmBefore.get(k), prmAfter.get(k), k + " of the PRM changed");
      }
    }
  }
}
