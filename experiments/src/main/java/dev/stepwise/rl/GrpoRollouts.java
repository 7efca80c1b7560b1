package dev.stepwise.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.config.UserError;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Tokenizer;
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

/**
 * GRPO's training data: the prompts are the examples, and collating a micro-batch of prompts
 * generates it online (TRL {@code _generate_and_score_completions}): G completions per prompt
 * from the current policy (KV-cache {@link Sampler}), rewards from the weighted {@link
 * RewardFunction}s (each scores the whole batch at once: {@link RewardFunction#scores}), {@link GroupAdvantages}, and the sequences as tensors; with a reference
 * model, its log-probabilities of the completion tokens (under no-grad).
 *
 * <p>Sampling seeds: micro-batch number k (counted from 0 by this instance) uses seed {@code
 * seed·1_000_003 + k}, so a run is reproducible; a resumed run restarts the count (its samples
 * differ from an uninterrupted run's).
 *
 * <p>Rollout metrics (TRL's names): {@code reward} (mean weighted reward), {@code reward_std},
 * {@code frac_reward_zero_std}, {@code rewards/<name>/mean}, {@code completions/mean_length}
 * (tokens, EOS included), {@code completions/clipped_ratio} (fraction stopped by length).
 */
public final class GrpoRollouts implements TrainData<GrpoBatch> {
  private final Task task;
  private final List<Problem> problems;
  private final Tokenizer tokenizer;
  private final Sampler sampler;
  private final GrpoConfig cfg;
  private final List<RewardFunction> rewards;
  private final CausalLM reference;
  private final long seed;
  private long calls;

  /**
   * @param task prompts come from {@link Task#prompt}
   * @param problems the training problems, at least one
   * @param tokenizer the policy's tokenizer
   * @param sampler a sampler over the policy
   * @param cfg the GRPO config
   * @param rewards one function per {@code cfg.reward_funcs()} entry, same order
   * @param reference the frozen reference model, or null (needed when beta &gt; 0)
   * @param seed the run's seed
   */
  public GrpoRollouts(Task task, List<Problem> problems, Tokenizer tokenizer, Sampler sampler, GrpoConfig cfg,
      List<RewardFunction> rewards, CausalLM reference, long seed) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no training problems");
    }
    if (rewards.size() != cfg.rewardFuncs().size()) {
      throw new IllegalArgumentException(rewards.size() + " reward functions for " + cfg.rewardFuncs());
    }
    if (cfg.beta() > 0 && reference == null) {
      throw new IllegalArgumentException("grpo.beta > 0 needs a reference model");
    }
    this.task = task;
    this.problems = List.copyOf(problems);
    this.tokenizer = tokenizer;
    this.sampler = sampler;
    this.cfg = cfg;
    this.rewards = List.copyOf(rewards);
    this.reference = reference;
    this.seed = seed;
  }

  @Override
  public int size() {
    return problems.size();
  }

  @Override
  public GrpoBatch collate(int[] indices, NDManager step) {
    int g = cfg.numGenerations();
    List<String> prompts = new ArrayList<>(indices.length);
    for (int i : indices) {
      prompts.add(task.prompt(problems.get(i)));
    }
    SamplingParams sp = new SamplingParams(g, cfg.temperature(), cfg.topP(), 0, cfg.maxCompletionLength(),
        List.of(), seed * 1_000_003L + calls++, false);
    List<List<Completion>> out = sampler.generate(prompts, sp);
    int n = indices.length * g;
    double[] reward = new double[n];
    double[] perFunc = new double[rewards.size()];
    List<int[]> seqs = new ArrayList<>(n);
    int[] promptLen = new int[n];
    long genTokens = 0;
    int clipped = 0;
    List<Problem> rowProblems = new ArrayList<>(n);
    List<Completion> rowCompletions = new ArrayList<>(n);
    for (int pi = 0; pi < indices.length; pi++) {
      for (int j = 0; j < g; j++) {
        rowProblems.add(problems.get(indices[pi]));
        rowCompletions.add(out.get(pi).get(j));
      }
    }
    for (int f = 0; f < rewards.size(); f++) {
      double[] s = rewards.get(f).scores(rowProblems, rowCompletions);
      for (int r = 0; r < n; r++) {
        if (!Double.isFinite(s[r])) {
          throw new UserError("reward function '" + rewards.get(f).name() + "' returned " + s[r]
              + " for problem " + rowProblems.get(r).id() + "; rewards must be finite");
        }
        perFunc[f] += s[r];
        reward[r] += cfg.weight(f) * s[r];
      }
    }
    for (int pi = 0; pi < indices.length; pi++) {
      int[] promptIds = tokenizer.encodePrompt(prompts.get(pi));
      if (promptIds.length == 0) {
        promptIds = new int[] {tokenizer.eosId()};
      }
      for (int j = 0; j < g; j++) {
        int r = pi * g + j;
        Completion c = out.get(pi).get(j);
        int[] seq = Arrays.copyOf(promptIds, promptIds.length + c.tokenIds().length);
        System.arraycopy(c.tokenIds(), 0, seq, promptIds.length, c.tokenIds().length);
        seqs.add(seq);
        promptLen[r] = promptIds.length;
        genTokens += c.tokenIds().length;
        if (Completion.LENGTH.equals(c.finishReason())) {
          clipped++;
        }
      }
    }
    GroupAdvantages adv = GroupAdvantages.compute(reward, g, cfg.scale());
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("reward", Arrays.stream(reward).average().orElse(0));
    metrics.put("reward_std", adv.rewardStd());
    metrics.put("frac_reward_zero_std", adv.fracZeroStd());
    for (int f = 0; f < rewards.size(); f++) {
      metrics.put("rewards/" + rewards.get(f).name() + "/mean", perFunc[f] / n);
    }
    metrics.put("completions/mean_length", genTokens / (double) n);
    metrics.put("completions/clipped_ratio", clipped / (double) n);
    return tensors(seqs, promptLen, adv.advantages(), metrics, step);
  }

  private GrpoBatch tensors(List<int[]> seqs, int[] promptLen, double[] adv, Map<String, Double> metrics, NDManager step) {
    int n = seqs.size();
    int t = 1;
    for (int[] s : seqs) {
      t = Math.max(t, s.length - 1);
    }
    long[] ids = new long[n * t];
    long[] attn = new long[n * t];
    long[] labels = new long[n * t];
    float[] mask = new float[n * t];
    Arrays.fill(ids, tokenizer.padId());
    long real = 0;
    for (int r = 0; r < n; r++) {
      int[] s = seqs.get(r);
      for (int k = 0; k < s.length; k++) {
        if (k < s.length - 1) {
          ids[r * t + k] = s[k];
          attn[r * t + k] = 1;
          real++;
        }
        if (k >= 1) {
          labels[r * t + k - 1] = s[k];
          mask[r * t + k - 1] = k >= promptLen[r] ? 1f : 0f;
        }
      }
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) adv[i];
    }
    Shape shape = new Shape(n, t);
    NDArray idArr = step.create(ids, shape);
    NDArray attnArr = step.create(attn, shape);
    NDArray labelArr = step.create(labels, shape);
    NDArray ref = null;
    if (reference != null) {
      try (NoGrad ignored = NoGrad.open()) {
        ref = TokenLogProbs.of(reference.logits(reference.hiddenStates(idArr, attnArr)), labelArr).stopGradient();
      }
    }
    return new GrpoBatch(idArr, attnArr, labelArr, step.create(mask, shape), step.create(a), ref, metrics, real);
  }
}
