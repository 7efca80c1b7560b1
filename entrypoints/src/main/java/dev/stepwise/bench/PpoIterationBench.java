package dev.stepwise.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Sampler;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.rl.ppo.Critic;
import dev.stepwise.rl.ppo.PpoConfig;
import dev.stepwise.rl.ppo.PpoRollouts;
import dev.stepwise.rl.ppo.StepPpoObjective;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.rl.prm.PrmReward;
import dev.stepwise.run.Tracker;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.OptimConfig;
import dev.stepwise.train.Trainer;
import dev.stepwise.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time split of one step-PPO iteration (issue 6): generation (KV-cache sampler, one response
 * per prompt), the policy + reference + critic no-grad forwards, PRM scoring, and training
 * ({@code num_ppo_epochs × num_mini_batches} actor+critic forward/backward/AdamW updates, plus
 * the host-side GAE), each with its tokens per second. Runs the real {@link PpoRollouts} and
 * {@link Trainer} of {@code objective = step_ppo} with the shipped defaults (2 epochs × 2
 * minibatches, 16 prompts, response_length 192, temperature 1).
 *
 * <p>Arguments: {@code [sft_checkpoint prm_dir] [iterations=3] [prompts=64]}. Without
 * checkpoints: random GPT-2 width 128, 4 layers, 4 heads, context 384 (the tiny SFT shape) on a
 * char tokenizer; a random policy rarely emits EOS, so its responses run to the full 192 tokens
 * (a trained SFT model stops at about 105). The first iteration is warm-up and not reported.
 */
public final class PpoIterationBench {
  private PpoIterationBench() {}

  /** Prints per-iteration parts, their median share and tokens/s. */
  public static void main(String[] args) throws Exception {
    int a = 0;
    Path sft = null;
    Path prmDir = null;
    if (args.length >= 2 && Files.isDirectory(Path.of(args[0]))) {
      sft = Path.of(args[0]);
      prmDir = Path.of(args[1]);
      a = 2;
    }
    int iterations = args.length > a ? Integer.parseInt(args[a]) : 3;
    int prompts = args.length > a + 1 ? Integer.parseInt(args[a + 1]) : 64;
    System.out.println("load before: " + BenchSupport.load());
    ArithTask task = new ArithTask(ArithConfig.of(null, null, null, null, null, 256, 16, 1L));
    List<Problem> train = task.problems("train", 0);
    Path tmp = Files.createTempDirectory("stepwise-ppo-bench");
    if (sft == null) {
      List<String> texts = new ArrayList<>();
      train.forEach(p -> {
        texts.add(task.prompt(p));
        texts.add(task.target(p));
      });
      CharTokenizer tok = CharTokenizer.fromTexts(texts);
      ModelConfig mc = new ModelConfig("gpt2", tok.vocabSize(), 128, 4, 4, 384, 0, 1e-5, 0.02);
      try (NDManager m = NDManager.newBaseManager()) {
        sft = tmp.resolve("sft");
        ModelCheckpoint.save(sft, new Gpt2Family().create(mc, m, 1), tok);
        prmDir = tmp.resolve("prm");
        RewardModel.create(new Gpt2Family().create(mc, m, 2), new HeadSpec("scalar", 1, "prm", "soft"), m, 3).save(prmDir, tok);
      }
    }
    // the shipped tiny_step_ppo.conf settings: 1 epoch x 4 minibatches, lam 1, process+outcome, critic from the policy
    PpoConfig p = new PpoConfig("bench", 1, 4, null, 1.0, null, null, null, null, null, null, 192, null, "process+outcome", null, "policy");
    int u = p.updatesPerRollout();
    Tokenizer tok = Tokenizers.load(sft);
    List<double[]> parts = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager();
        PrmReward prm = PrmReward.load(new PrmConfig(prmDir.toString(), "min", 32), task, "bench")) {
      CausalLM policy = ModelCheckpoint.load(sft, m);
      CausalLM reference = ModelCheckpoint.load(sft, m);
      reference.setTrainable(false);
      Critic critic = Critic.create(p.criticInit(), prmDir, sft, m, 4);
      Map<String, NDArray> params = new LinkedHashMap<>(policy.parameters());
      params.putAll(critic.parameters());
      PpoRollouts data = new PpoRollouts(task, train, tok, new Sampler(policy, tok, prompts), policy, reference, critic, prm, p, 1L);
      long[] last = {System.nanoTime()};
      Tracker clock = new Tracker() {
        @Override
        public void log(long step, Map<String, ?> metrics) {
          if (step % u == 0) {
            long now = System.nanoTime();
            PpoRollouts.Timing t = data.lastTiming();
            double total = (now - last[0]) / 1e9;
            last[0] = now;
            double train = total - t.generationS() - t.forwardS() - t.scoringS();
            // training tokens: every row's tokens through actor and critic, num_ppo_epochs times
            double trainTokens = t.forwardTokens() / 3.0 * p.numPpoEpochs() * 2;
            parts.add(new double[] {total, t.generationS(), t.forwardS(), t.scoringS(), train,
                t.generatedTokens(), t.forwardTokens(), t.scoredTokens(), trainTokens});
          }
        }

        @Override
        public void close() {}
      };
      TrainerConfig tc = new TrainerConfig((long) u * (iterations + 1), null, prompts, 1, 1.0, 1L, 0L,
          (long) u * (iterations + 2), 1, "never", 0L, false);
      OptimConfig oc = new OptimConfig("adamw", 1e-5, 0.0, null, null, null, "constant", null, null, null);
      CheckpointHook none = new CheckpointHook() {
        @Override
        public void save(Path dir) {}

        @Override
        public void load(Path dir) {
          throw new UnsupportedOperationException();
        }
      };
      new Trainer<>(tc, oc, params, new StepPpoObjective(policy, critic, p), data, none, tmp.resolve("run"))
          .withTrackers(List.of(clock)).train();
    } finally {
      deleteTree(tmp);
    }
    System.out.printf("one PPO iteration: %d prompts x 1 response (<= %d new tokens), %d updates (%d epochs x %d minibatches)%n",
        prompts, p.responseLength(), u, p.numPpoEpochs(), p.numMiniBatches());
    String[] names = {"generation", "policy+ref+critic forward", "PRM scoring", "training (+GAE)"};
    String[] units = {"generated tok/s", "forward tok/s (3 models)", "scored tok/s", "trained tok/s (actor+critic, all epochs)"};
    for (int i = 1; i < parts.size(); i++) {
      double[] r = parts.get(i);
      System.out.printf("iteration %d: %.2f s total%n", i, r[0]);
      for (int k = 0; k < 4; k++) {
        System.out.printf("  %-27s %7.2f s  %5.1f %%  %9.0f %s%n", names[k], r[k + 1], 100 * r[k + 1] / r[0], r[k + 5] / r[k + 1], units[k]);
      }
    }
    System.out.println("load after:  " + BenchSupport.load());
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
