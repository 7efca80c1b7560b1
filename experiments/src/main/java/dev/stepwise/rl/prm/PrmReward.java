package dev.stepwise.rl.prm;

import dev.stepwise.reward.predict.Reduce;
import ai.djl.ndarray.NDManager;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.Completion;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.reward.data.LabelledResponse;
import dev.stepwise.reward.data.RewardExample;
import dev.stepwise.reward.data.SegmentTokenizer;
import dev.stepwise.reward.data.StepBoundaries;
import dev.stepwise.reward.eval.StepScorer;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.rl.RewardFunction;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A trained process reward model as an RL reward (registered as {@code prm}). Each completion is
 * split into steps by {@code task.splitSteps}; the PRM reads the prompt and the completion and
 * gives, at each step's last token, the probability in [0, 1] that the step is on a path to the
 * right answer ({@link dev.stepwise.reward.model.StepScore}: sigmoid of a scalar head, or
 * {@code prm.class_reduce} of a k+1-class head) — the same positions and the same
 * tokenisation ({@link SegmentTokenizer}) the PRM was trained on and {@code predict} uses.
 *
 * <p>{@link #stepScores} gives one probability per step; steps the PRM cannot see (a step text
 * not found verbatim, or the start of a sequence cut to the context length) take the nearest
 * scored step's value, and a completion without any scored step gets a single 0. {@link #score}
 * reduces them with {@link Reduce} (GRPO's sequence reward), leaving out the last {@code
 * prm.step_offset} of them. Scoring runs without gradients,
 * {@code prm.batch_size} sequences per forward; the model never changes (it is not trainable).
 * Deterministic: the same completion always gets the same scores.
 */
public final class PrmReward implements RewardFunction, AutoCloseable {
  /** Registry name. */
  public static final String NAME = "prm";

  private final Task task;
  private final Tokenizer tokenizer;
  private final RewardModel model;
  private final NDManager manager;
  private final StepScorer scorer;
  private final Reduce reduce;
  private final int stepOffset;
  private final int ctxLen;
  private final Path dir;

  private PrmReward(Task task, Tokenizer tokenizer, RewardModel model, NDManager manager, PrmConfig cfg, Path dir) {
    this.dir = dir;
    this.task = task;
    this.tokenizer = tokenizer;
    this.model = model;
    this.manager = manager;
    this.reduce = cfg.reduction();
    this.stepOffset = cfg.stepOffset();
    this.scorer = new StepScorer(model, cfg.batchSize(), tokenizer.padId(), cfg.stepScore());
    this.ctxLen = model.lm().config().nPositions();
  }

  /**
   * Loads the reward model of {@code cfg.model_path} (frozen) into its own manager.
   *
   * @throws UserError when {@code prm.model_path} is unset or not a reward-model directory
   * @throws IOException when a file cannot be read
   */
  public static PrmReward load(PrmConfig cfg, Task task, String where) throws IOException {
    if (cfg.modelPath() == null || !Files.isDirectory(Path.of(cfg.modelPath()))) {
      throw new UserError("prm.model_path: no reward-model directory at '" + cfg.modelPath() + "' (" + where
          + "); train one with objective=prm (conf/exp/reward/arith/tiny_prm.conf) and pass its reward_model folder");
    }
    Path dir = Path.of(cfg.modelPath());
    NDManager m = NDManager.newBaseManager();
    try {
      Tokenizer tok = Tokenizers.load(dir);
      RewardModel rm = RewardModel.load(dir, m);
      rm.lm().setTrainable(false);
      rm.parameters().values().forEach(a -> a.setRequiresGradient(false));
      return new PrmReward(task, tok, rm, m, cfg, dir);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /** @return the reward model (frozen; read-only use) */
  public RewardModel model() {
    return model;
  }

  /** @return the PRM's tokenizer */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** @return {@code reduce(stepScores)} without the last {@code step_offset}, in [0, 1] */
  @Override
  public double score(Problem problem, Completion completion) {
    return scores(List.of(problem), List.of(completion))[0];
  }

  /** @return one probability in [0, 1] per step ({@code max(numSteps, 1)} values) */
  @Override
  public double[] stepScores(Problem problem, Completion completion, int numSteps) {
    return stepScores(List.of(problem), List.of(completion), new int[] {numSteps}).get(0);
  }

  @Override
  public double[] scores(List<Problem> problems, List<Completion> completions) {
    int[] n = new int[completions.size()];
    for (int i = 0; i < n.length; i++) {
      n[i] = task.splitSteps(completions.get(i).text()).size();
    }
    List<double[]> steps = stepScores(problems, completions, n);
    double[] out = new double[steps.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = reduce.apply(steps.get(i), stepOffset);
    }
    return out;
  }

  /**
   * Batched step scores.
   *
   * @param numSteps per completion, the number of steps the caller counts (normally {@code
   *     task.splitSteps(text).size()}); the result has {@code max(numSteps[i], 1)} values
   * @throws UserError when the PRM returns a non-finite value (a broken checkpoint), naming the
   *     model directory and the problem
   */
  @Override
  public List<double[]> stepScores(List<Problem> problems, List<Completion> completions, int[] numSteps) {
    List<RewardExample> ex = new ArrayList<>(completions.size());
    List<Integer> found = new ArrayList<>(completions.size());
    for (int i = 0; i < completions.size(); i++) {
      String text = completions.get(i).text();
      List<Integer> ends = StepBoundaries.ends(text, task.splitSteps(text));
      found.add(ends.size());
      LabelledResponse lr = new LabelledResponse(problems.get(i).id(), task.prompt(problems.get(i)), text, ends,
          Collections.nCopies(ends.size(), 0f));
      ex.add(SegmentTokenizer.tokenize(lr, tokenizer, ctxLen));
    }
    List<float[]> probs = scorer.score(ex);
    List<double[]> out = new ArrayList<>(probs.size());
    for (int i = 0; i < probs.size(); i++) {
      float[] p = probs.get(i);
      double[] s = new double[Math.max(1, numSteps[i])];
      if (p.length > 0) {
        // the kept positions are the last p.length of the found steps (a cut drops the first)
        int offset = found.get(i) - p.length;
        for (int j = 0; j < s.length; j++) {
          int k = Math.min(Math.max(j - offset, 0), p.length - 1);
          s[j] = p[k];
        }
      }
      for (double v : s) {
        if (!Double.isFinite(v)) {
          throw new UserError("NaN reward: the PRM (prm.model_path = " + dir + ") gave " + v
              + " for a step of problem " + problems.get(i).id() + "; its weights are broken");
        }
      }
      out.add(s);
    }
    return out;
  }

  /** Frees the reward model. */
  @Override
  public void close() {
    model.close();
    manager.close();
  }
}
