package dev.stepwise.rl;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixtures for RL: a small generated arith task, its character tokenizer, and real tiny
 * GPT-2 checkpoints (randomly initialised, saved as a policy directory and as a PRM directory with
 * a scalar or k+1-class head) that the production loaders read.
 */
public final class TinyRl {
  /** The task: 1-2 step additions/subtractions. */
  public final ArithTask task = new ArithTask(ArithConfig.of(1, 2, 9, 99, "+-", 64, 4, 7L));
  /** Its training problems. */
  public final List<Problem> train = task.problems("train", 0);
  /** The tokenizer over prompts and targets. */
  public final CharTokenizer tok;
  /** The model shape: width 32, 2 layers, 2 heads, 256 positions. */
  public final ModelConfig config;

  /** Builds the task and tokenizer. */
  public TinyRl() {
    List<String> texts = new ArrayList<>();
    train.forEach(p -> {
      texts.add(task.prompt(p));
      texts.add(task.target(p));
    });
    tok = CharTokenizer.fromTexts(texts);
    config = new ModelConfig("gpt2", tok.vocabSize(), 32, 2, 2, 256, 0, 1e-5, 0.02);
  }

  /** @return a new random policy, initialised from {@code seed} */
  public CausalLM policy(NDManager m, long seed) {
    return new Gpt2Family().create(config, m, seed);
  }

  /** Saves a random policy as a model directory (an "SFT checkpoint"). */
  public Path savePolicy(Path dir, long seed) throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelCheckpoint.save(dir, policy(m, seed), tok);
    }
    return dir;
  }

  /**
   * Saves a random PRM directory.
   *
   * @param numClasses 1 = scalar head (soft labels), k+1 &ge; 2 = class head
   */
  public Path savePrm(Path dir, long seed, int numClasses) throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      HeadSpec spec = numClasses == 1 ? new HeadSpec("scalar", 1, "prm", "soft") : new HeadSpec("classes", numClasses, "prm", "classes");
      // a larger head init than initializer_range so the step probabilities visibly differ
      RewardModel rm = RewardModel.create(policy(m, seed), spec, m, seed);
      try (var g = dev.stepwise.train.NoGrad.open()) {
        var w = rm.parameters().get(RewardModel.WEIGHT);
        w.set(w.mul(50f).toFloatArray());
      }
      rm.save(dir, tok);
    }
    return dir;
  }
}
