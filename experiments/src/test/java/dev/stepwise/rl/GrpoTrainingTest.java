package dev.stepwise.rl;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
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
 * A real GRPO run: a randomly initialised tiny GPT-2 on arith prompts with a trivially learnable
 * reward (the fraction of generated characters that are digits). The mean reward rises and
 * every trainable parameter changes; with beta &gt; 0 the frozen reference does not change and
 * the kl metric is reported.
 */
class GrpoTrainingTest {
  @TempDir Path out;

  /** Fraction of the completion's characters that are digits, in [0, 1]. */
  private static final RewardFunction DIGITS = new RewardFunction() {
    @Override
    public String name() {
      return "digits";
    }

    @Override
    public double score(Problem problem, Completion c) {
      String t = c.text();
      return t.isEmpty() ? 0 : t.chars().filter(Character::isDigit).count() / (double) t.length();
    }
  };

  @Test
  void rewardRisesAndEveryParameterChanges() throws Exception {
    ArithTask task = new ArithTask(ArithConfig.of(1, 1, 9, 99, "+-", 64, 4, 7L));
    List<Problem> train = task.problems("train", 0);
    List<String> texts = new ArrayList<>();
    train.forEach(p -> { texts.add(task.prompt(p)); texts.add(task.target(p)); });
    CharTokenizer tok = CharTokenizer.fromTexts(texts);
    ModelConfig mc = new ModelConfig("gpt2", tok.vocabSize(), 32, 2, 2, 256, 0, 1e-5, 0.02);
    GrpoConfig g = new GrpoConfig("unused", 8, 8, 1.0, 1.0, 0.2, 0.28, 0.04, "group", "dapo",
        List.of("digits"), List.of());
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM policy = new Gpt2Family().create(mc, m, 3);
      CausalLM reference = new Gpt2Family().create(mc, m, 3);
      reference.setTrainable(false);
      Map<String, float[]> before = TinyModels.snapshot(policy.parameters());
      Map<String, float[]> refBefore = TinyModels.snapshot(reference.parameters());
      var tracker = new TinyModels.RecordingTracker();
      GrpoRollouts data = new GrpoRollouts(task, train, tok, new Sampler(policy, tok, 64), g, List.of(DIGITS), reference, 5L);
      new Trainer<>(
              TinyModels.trainerConfig("max_steps = 20, per_device_train_batch_size = 4, logging_steps = 4, save_steps = 1000, progress_bar = false"),
              TinyModels.optimConfig("lr = 5e-3, lr_scheduler_type = constant, weight_decay = 0.01"),
              policy.parameters(), new GrpoObjective(policy, g.lossParams()), data,
              new ParameterCheckpoint(policy.parameters()), out)
          .withTrackers(List.of(tracker))
          .train();
      List<Double> reward = new ArrayList<>(tracker.series("reward").values());
      System.out.println("GRPO reward by logging window: " + reward);
      assertTrue(reward.get(reward.size() - 1) > reward.get(0) + 0.3, "reward did not rise: " + reward);
      assertTrue(reward.stream().allMatch(r -> r >= 0 && r <= 1), "reward out of [0, 1]: " + reward);
      Map<String, float[]> after = TinyModels.snapshot(policy.parameters());
      for (String name : before.keySet()) {
        assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " did not change");
      }
      Map<String, float[]> refAfter = TinyModels.snapshot(reference.parameters());
      for (String name : refBefore.keySet()) {
        assertArrayEquals(refBefore.get(name), refAfter.get(name), name + " of the reference changed");
      }
      assertFalse(tracker.series("kl").isEmpty(), "no kl metric with beta > 0");
      for (String k : List.of("reward_std", "completions/mean_length", "clip_ratio/region_mean", "rewards/digits/mean")) {
        assertFalse(tracker.series(k).isEmpty(), "metric " + k + " missing");
      }
    }
  }
}
