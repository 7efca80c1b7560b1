package dev.stepwise.rl.ppo;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.rl.TinyRl;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.rl.prm.PrmReward;
import dev.stepwise.train.NoGrad;
import dev.stepwise.train.ParameterCheckpoint;
import dev.stepwise.train.TinyModels;
import dev.stepwise.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step PPO on real tiny models (saved and reloaded checkpoints: SFT policy, PRM with a scalar head,
 * critic initialised from the PRM): one PPO iteration changes every actor and critic parameter and
 * leaves the reference and the PRM unchanged; the value loss falls over several iterations; a PRM
 * that returns NaN stops the run with an error naming the PRM and the problem.
 */
class StepPpoTrainingTest {
  @TempDir Path dir;
  private final TinyRl t = new TinyRl();

  private static PpoConfig cfg(int epochs, int minibatches, String mode) {
    return new PpoConfig("unused", epochs, minibatches, 1.0, 0.95, 0.2, 0.2, 0.1, 0.05, "k3", false, 20, 1.0, mode, 0.0, "prm");
  }

  private record Run(Rec tracker, Map<String, float[]> actor0, Map<String, float[]> actor1,
      Map<String, float[]> critic0, Map<String, float[]> critic1, Map<String, float[]> ref0, Map<String, float[]> ref1,
      Map<String, float[]> prm0, Map<String, float[]> prm1) {}

  /** Holds the recording tracker of a run. */
  private static final class Rec {
    final TinyModels.RecordingTracker tracker = new TinyModels.RecordingTracker();
  }

  private Run train(Path prmDir, PpoConfig p, int steps, double lr) throws Exception {
    Path policyDir = t.savePolicy(dir.resolve("sft"), 3);
    try (NDManager m = NDManager.newBaseManager();
        PrmReward prm = PrmReward.load(new PrmConfig(prmDir.toString(), "min", 8), t.task, "test")) {
      CausalLM policy = ModelCheckpoint.load(policyDir, m);
      CausalLM reference = ModelCheckpoint.load(policyDir, m);
      reference.setTrainable(false);
      Critic critic = Critic.create(p.criticInit(), prmDir, policyDir, m, 5);
      Map<String, NDArray> params = new LinkedHashMap<>(policy.parameters());
      params.putAll(critic.parameters());
      Map<String, float[]> a0 = TinyModels.snapshot(policy.parameters());
      Map<String, float[]> c0 = TinyModels.snapshot(critic.parameters());
      Map<String, float[]> r0 = TinyModels.snapshot(reference.parameters());
      Map<String, float[]> p0 = TinyModels.snapshot(prm.model().parameters());
      Rec rec = new Rec();
      PpoRollouts data = new PpoRollouts(t.task, t.train, t.tok, new Sampler(policy, t.tok, 8), policy, reference, critic,
          prm, p, 9L);
      new Trainer<>(
              TinyModels.trainerConfig("max_steps = " + steps + ", per_device_train_batch_size = 8, logging_steps = 1, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = " + lr + ", lr_scheduler_type = constant, weight_decay = 0.0"),
              params, new StepPpoObjective(policy, critic, p), data, new ParameterCheckpoint(params), dir.resolve("run"))
          .withTrackers(List.of(rec.tracker))
          .train();
      return new Run(rec, a0, TinyModels.snapshot(policy.parameters()), c0, TinyModels.snapshot(critic.parameters()), r0,
          TinyModels.snapshot(reference.parameters()), p0, TinyModels.snapshot(prm.model().parameters()));
    }
  }

  @Test
  void oneIterationChangesActorAndCriticOnly() throws Exception {
    PpoConfig p = cfg(2, 2, "process+outcome");
    Run r = train(t.savePrm(dir.resolve("prm"), 11, 1), p, p.updatesPerRollout(), 1e-3);
    for (String k : r.actor0().keySet()) {
      assertFalse(Arrays.equals(r.actor0().get(k), r.actor1().get(k)), "actor " + k + " did not change");
    }
    for (String k : r.critic0().keySet()) {
      assertFalse(Arrays.equals(r.critic0().get(k), r.critic1().get(k)), "critic " + k + " did not change");
    }
    for (String k : r.ref0().keySet()) {
      assertArrayEquals(r.ref0().get(k), r.ref1().get(k), "reference " + k + " changed");
    }
    for (String k : r.prm0().keySet()) {
      assertArrayEquals(r.prm0().get(k), r.prm1().get(k), "PRM " + k + " changed");
    }
    for (String k : List.of("objective/kl", "objective/entropy", "objective/rlhf_reward", "objective/scores",
        "policy/approxkl_avg", "policy/clipfrac_avg", "loss/policy_avg", "loss/value_avg", "val/ratio", "val/clipfrac_avg",
        "time/generation_s", "objective/prm_mean")) {
      assertFalse(r.tracker().tracker.series(k).isEmpty(), "metric " + k + " missing");
    }
    // first update of a rollout: the policy is the one that sampled, so ratio = 1 and nothing is clipped
    Map<Long, Double> ratio = r.tracker().tracker.series("val/ratio");
    assertEquals(1.0, ratio.values().iterator().next(), 1e-4);
    assertEquals(0.0, r.tracker().tracker.series("policy/approxkl_avg").values().iterator().next(), 1e-6);
  }

  @Test
  void valueLossFallsOverIterations() throws Exception {
    PpoConfig p = cfg(2, 2, "process");
    Run r = train(t.savePrm(dir.resolve("prm"), 11, 1), p, 16, 3e-3);
    List<Double> v = new ArrayList<>(r.tracker().tracker.series("loss/value_avg").values());
    double first = v.subList(0, 4).stream().mapToDouble(x -> x).average().orElseThrow();
    double last = v.subList(v.size() - 4, v.size()).stream().mapToDouble(x -> x).average().orElseThrow();
    System.out.println("value loss, first rollout " + first + ", last rollout " + last);
    assertTrue(last < first * 0.5, "value loss did not fall: " + v);
  }

  @Test
  @SuppressWarnings("try")
  void nanFromThePrmIsAClearError() throws Exception {
    Path prmDir = t.savePrm(dir.resolve("prm"), 11, 1);
    try (NDManager m = NDManager.newBaseManager(); RewardModel rm = RewardModel.load(prmDir, m)) {
      try (NoGrad g = NoGrad.open()) {
        rm.parameters().get(RewardModel.BIAS).set(new float[] {Float.NaN});
      }
      rm.save(prmDir, t.tok);
    }
    UserError e = assertThrows(UserError.class, () -> train(prmDir, cfg(1, 1, "process"), 1, 1e-3));
    assertTrue(e.getMessage().contains("NaN reward") && e.getMessage().contains("PRM") && e.getMessage().contains("problem"),
        e.getMessage());
  }
}
