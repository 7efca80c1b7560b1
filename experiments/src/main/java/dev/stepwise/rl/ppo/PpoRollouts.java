package dev.stepwise.rl.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.reward.data.StepBoundaries;
import dev.stepwise.rl.RewardFunction;
import dev.stepwise.task.Problem;
import dev.stepwise.task.Task;
import dev.stepwise.train.NoGrad;
import dev.stepwise.train.TokenLogProbs;
import dev.stepwise.train.TrainData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Step PPO's training data, generated online and reused for several updates (TRL {@code
 * PPOTrainer.train}'s outer loop). When the current rollout is used up, the trainer's micro-batch
 * of prompts (N = {@code trainer.per_device_train_batch_size}) becomes a new rollout, all under
 * no-grad:
 *
 * <ol>
 *   <li>one response per prompt from the current policy (KV-cache {@link Sampler}, {@code
 *       temperature}, {@code response_length} new tokens);
 *   <li>policy, reference and critic forwards: old log-probabilities, reference
 *       log-probabilities and values of every response token;
 *   <li>the PRM's step scores (process modes, batched) and the answer check (outcome modes);
 *   <li>per-token rewards ({@link RewardPlacement}: step scores on step-end tokens found by
 *       {@link StepTokens}, {@code -kl_coef·kl}), optionally whitened; {@link Gae} advantages
 *       (whitened over the rollout) and returns.
 * </ol>
 *
 * Then each call returns the next minibatch: {@code num_ppo_epochs} passes, each a fresh
 * permutation of the rollout's rows split into {@code num_mini_batches}. The trainer's
 * micro-batches drawn while a rollout is being reused are not sampled (their prompts are
 * skipped), so {@code trainer.max_steps} counts optimizer updates and the prompts seen are
 * {@code max_steps / (num_ppo_epochs·num_mini_batches) · N}.
 *
 * <p>Rollout metrics (TRL's names, per response then averaged): {@code objective/kl} (Σ_t kl_t),
 * {@code objective/entropy} (Σ_t -logp_t of the sampled tokens), {@code
 * objective/non_score_reward} (Σ_t -kl_coef·kl_t), {@code objective/scores} (Σ placed scores),
 * {@code objective/rlhf_reward} (scores + non-score), {@code objective/accuracy} (answer check),
 * {@code objective/prm_mean} (mean step score), {@code completions/mean_length}, and wall times
 * {@code time/generation_s}, {@code time/scoring_s}, {@code time/forward_s} of the last rollout.
 * Sampling seed of rollout k: {@code seed·1_000_003 + k}.
 */
public final class PpoRollouts implements TrainData<PpoBatch> {
  private final Task task;
  private final List<Problem> problems;
  private final Tokenizer tokenizer;
  private final Sampler sampler;
  private final CausalLM policy;
  private final CausalLM reference;
  private final Critic critic;
  private final RewardFunction prm;
  private final PpoConfig cfg;
  private final long seed;
  private long rollouts;
  private Buffer buf;
  private int used;
  private int[] perm;

  /** Wall times (seconds) and token counts of the last rollout (for the benchmark). */
  public record Timing(double generationS, double scoringS, double forwardS, long generatedTokens, long forwardTokens, long scoredTokens) {}

  private record Buffer(int n, int t, long[] ids, long[] attn, long[] labels, float[] mask, float[] oldLogp,
      float[] oldValues, float[] adv, float[] ret, int[] rowTokens, Map<String, Double> metrics, Timing timing) {}

  /**
   * @param task prompts, steps and answer check
   * @param problems training prompts, at least one
   * @param tokenizer the policy's
   * @param sampler a sampler over {@code policy}
   * @param policy the actor
   * @param reference the frozen reference
   * @param critic the value model
   * @param prm the process reward (its batched {@link RewardFunction#stepScores}); may be null in
   *     {@code outcome} mode
   * @param cfg the PPO config
   * @param seed the run's seed
   */
  public PpoRollouts(Task task, List<Problem> problems, Tokenizer tokenizer, Sampler sampler, CausalLM policy,
      CausalLM reference, Critic critic, RewardFunction prm, PpoConfig cfg, long seed) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no training problems");
    }
    if (prm == null && cfg.mode().process()) {
      throw new IllegalArgumentException("ppo.reward_mode " + cfg.rewardMode() + " needs a PRM");
    }
    this.task = task;
    this.problems = List.copyOf(problems);
    this.tokenizer = tokenizer;
    this.sampler = sampler;
    this.policy = policy;
    this.reference = reference;
    this.critic = critic;
    this.prm = prm;
    this.cfg = cfg;
    this.seed = seed;
  }

  @Override
  public int size() {
    return problems.size();
  }

  /** @return the timing of the last rollout, or null before the first */
  public Timing lastTiming() {
    return buf == null ? null : buf.timing();
  }

  @Override
  public PpoBatch collate(int[] indices, NDManager step) {
    if (buf == null || used >= cfg.updatesPerRollout()) {
      buf = rollout(indices, step);
      used = 0;
    }
    int mbs = cfg.numMiniBatches();
    int k = used % mbs;
    if (k == 0) {
      perm = permutation(buf.n(), new Random(seed * 7919L + rollouts * 131L + used));
    }
    used++;
    int size = (buf.n() + mbs - 1) / mbs;
    int from = Math.min(buf.n(), k * size);
    int to = Math.min(buf.n(), from + size);
    if (from >= to) {
      from = 0;
      to = buf.n();
    }
    return minibatch(Arrays.copyOfRange(perm, from, to), step);
  }

  private static int[] permutation(int n, Random r) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int x = p[i];
      p[i] = p[j];
      p[j] = x;
    }
    return p;
  }

  private PpoBatch minibatch(int[] rows, NDManager step) {
    int t = buf.t();
    int n = rows.length;
    long[] ids = new long[n * t];
    long[] attn = new long[n * t];
    long[] labels = new long[n * t];
    float[] mask = new float[n * t];
    float[] old = new float[n * t];
    float[] val = new float[n * t];
    float[] adv = new float[n * t];
    float[] ret = new float[n * t];
    long tokens = 0;
    for (int i = 0; i < n; i++) {
      int src = rows[i] * t;
      int dst = i * t;
      System.arraycopy(buf.ids(), src, ids, dst, t);
      System.arraycopy(buf.attn(), src, attn, dst, t);
      System.arraycopy(buf.labels(), src, labels, dst, t);
      System.arraycopy(buf.mask(), src, mask, dst, t);
      System.arraycopy(buf.oldLogp(), src, old, dst, t);
      System.arraycopy(buf.oldValues(), src, val, dst, t);
      System.arraycopy(buf.adv(), src, adv, dst, t);
      System.arraycopy(buf.ret(), src, ret, dst, t);
      tokens += buf.rowTokens()[rows[i]];
    }
    Shape s = new Shape(n, t);
    return new PpoBatch(step.create(ids, s), step.create(attn, s), step.create(labels, s), step.create(mask, s),
        step.create(old, s), step.create(val, s), step.create(adv, s), step.create(ret, s), buf.metrics(), tokens);
  }

  @SuppressWarnings("try")
  private Buffer rollout(int[] indices, NDManager step) {
    long t0 = System.nanoTime();
    List<Problem> ps = new ArrayList<>(indices.length);
    List<String> prompts = new ArrayList<>(indices.length);
    for (int i : indices) {
      ps.add(problems.get(i));
      prompts.add(task.prompt(problems.get(i)));
    }
    SamplingParams sp = new SamplingParams(1, cfg.temperature(), 1.0, 0, cfg.responseLength(), List.of(),
        seed * 1_000_003L + rollouts++, false);
    List<Completion> cs = new ArrayList<>();
    for (List<Completion> l : sampler.generate(prompts, sp)) {
      cs.add(l.get(0));
    }
    long t1 = System.nanoTime();
    int n = cs.size();
    List<int[]> seqs = new ArrayList<>(n);
    int[] promptLen = new int[n];
    int t = 1;
    long genTokens = 0;
    for (int r = 0; r < n; r++) {
      int[] p = tokenizer.encodePrompt(prompts.get(r));
      if (p.length == 0) {
        p = new int[] {tokenizer.eosId()};
      }
      int[] seq = Arrays.copyOf(p, p.length + cs.get(r).tokenIds().length);
      System.arraycopy(cs.get(r).tokenIds(), 0, seq, p.length, cs.get(r).tokenIds().length);
      seqs.add(seq);
      promptLen[r] = p.length;
      t = Math.max(t, seq.length - 1);
      genTokens += cs.get(r).tokenIds().length;
    }
    long[] ids = new long[n * t];
    long[] attn = new long[n * t];
    long[] labels = new long[n * t];
    float[] mask = new float[n * t];
    int[] rowTokens = new int[n];
    Arrays.fill(ids, tokenizer.padId());
    for (int r = 0; r < n; r++) {
      int[] s = seqs.get(r);
      for (int k = 0; k < s.length - 1; k++) {
        ids[r * t + k] = s[k];
        attn[r * t + k] = 1;
        labels[r * t + k] = s[k + 1];
        mask[r * t + k] = k + 1 >= promptLen[r] ? 1f : 0f;
      }
      rowTokens[r] = s.length - 1;
    }
    float[] oldLogp;
    float[] refLogp;
    float[] values;
    try (NoGrad g = NoGrad.open()) {
      Shape shape = new Shape(n, t);
      NDArray idA = step.create(ids, shape);
      NDArray atA = step.create(attn, shape);
      NDArray lbA = step.create(labels, shape);
      oldLogp = TokenLogProbs.of(policy.logits(policy.hiddenStates(idA, atA)), lbA).toFloatArray();
      refLogp = TokenLogProbs.of(reference.logits(reference.hiddenStates(idA, atA)), lbA).toFloatArray();
      values = critic.values(idA, atA).toFloatArray();
    }
    long t2 = System.nanoTime();
    int[] numSteps = new int[n];
    List<List<Integer>> charEnds = new ArrayList<>(n);
    long scoredTokens = 0;
    for (int r = 0; r < n; r++) {
      List<String> steps = task.splitSteps(cs.get(r).text());
      numSteps[r] = steps.size();
      charEnds.add(StepBoundaries.ends(cs.get(r).text(), steps));
      scoredTokens += seqs.get(r).length;
    }
    List<double[]> stepScores = cfg.mode().process() ? prm.stepScores(ps, cs, numSteps) : null;
    long t3 = System.nanoTime();
    double[][] rewards = new double[n][];
    double[][] vals = new double[n][];
    double sumKl = 0, sumEnt = 0, sumNon = 0, sumScores = 0, correct = 0, prmSum = 0;
    long prmCount = 0;
    for (int r = 0; r < n; r++) {
      int len = cs.get(r).tokenIds().length;
      int base = r * t + promptLen[r] - 1;
      double[] kl = new double[len];
      vals[r] = new double[len];
      for (int j = 0; j < len; j++) {
        kl[j] = cfg.kl().apply(oldLogp[base + j], refLogp[base + j]);
        vals[r][j] = values[base + j];
        sumEnt -= oldLogp[base + j];
      }
      int[] ends = len == 0 ? new int[0] : StepTokens.ends(tokenizer, cs.get(r).tokenIds(), charEnds.get(r));
      double[] sc = new double[ends.length];
      if (stepScores != null) {
        for (int i = 0; i < ends.length; i++) {
          sc[i] = stepScores.get(r)[i];
          prmSum += sc[i];
          prmCount++;
        }
      }
      boolean ok = task.isCorrect(cs.get(r).text(), ps.get(r));
      correct += ok ? 1 : 0;
      if (len == 0) {
        rewards[r] = new double[0];
        continue;
      }
      RewardPlacement.Result pl = RewardPlacement.place(kl, cfg.klCoef(), ends, sc, ok ? 1 : 0, cfg.mode(),
          cfg.rewardClip(), "problem " + ps.get(r).id() + " (rollout " + (rollouts - 1) + ", row " + r + ")");
      rewards[r] = pl.rewards();
      for (double v : kl) {
        sumKl += v;
      }
      sumNon += pl.nonScore();
      sumScores += pl.scores();
    }
    if (cfg.whitenRewards()) {
      Whiten.apply(rewards, false);
    }
    double[][] adv = new double[n][];
    float[] advF = new float[n * t];
    float[] retF = new float[n * t];
    for (int r = 0; r < n; r++) {
      Gae.Result gr = Gae.compute(rewards[r], vals[r], cfg.gamma(), cfg.lam());
      adv[r] = gr.advantages();
      int base = r * t + promptLen[r] - 1;
      for (int j = 0; j < gr.returns().length; j++) {
        retF[base + j] = (float) gr.returns()[j];
      }
    }
    Whiten.apply(adv, true);
    for (int r = 0; r < n; r++) {
      int base = r * t + promptLen[r] - 1;
      for (int j = 0; j < adv[r].length; j++) {
        advF[base + j] = (float) adv[r][j];
      }
    }
    long t4 = System.nanoTime();
    Timing timing = new Timing((t1 - t0) / 1e9, (t3 - t2) / 1e9, (t2 - t1) / 1e9, genTokens,
        3L * Arrays.stream(rowTokens).sum(), scoredTokens);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("objective/kl", sumKl / n);
    m.put("objective/entropy", sumEnt / n);
    m.put("objective/non_score_reward", sumNon / n);
    m.put("objective/scores", sumScores / n);
    m.put("objective/rlhf_reward", (sumScores + sumNon) / n);
    m.put("objective/accuracy", correct / n);
    if (prmCount > 0) {
      m.put("objective/prm_mean", prmSum / prmCount);
    }
    m.put("completions/mean_length", genTokens / (double) n);
    m.put("time/generation_s", timing.generationS());
    m.put("time/scoring_s", timing.scoringS());
    m.put("time/forward_s", timing.forwardS());
    m.put("time/advantages_s", (t4 - t3) / 1e9);
    return new Buffer(n, t, ids, attn, labels, mask, oldLogp, values, advF, retF, rowTokens, m, timing);
  }
}
