package dev.stepwise.bench;

import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import dev.stepwise.reward.model.HeadSpec;
import dev.stepwise.reward.model.RewardModel;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.rl.prm.PrmReward;
import dev.stepwise.search.Expander;
import dev.stepwise.search.PrmValuer;
import dev.stepwise.search.SamplerProposer;
import dev.stepwise.search.SearchTree;
import dev.stepwise.search.beam.BeamConfig;
import dev.stepwise.search.beam.BeamSearch;
import dev.stepwise.search.mcts.MctsConfig;
import dev.stepwise.search.mcts.MctsStar;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Search throughput (docs/search.md, docs/benchmarks.md): proposed steps per second and generated
 * tokens per second of PRM beam search and MCTS* with {@code problems} arith test problems in
 * flight, against plain batched sampling of about the same number of tokens (the same prompts,
 * {@code n} samples each, EOS ignored, one sampler call). Search time includes the PRM's scoring
 * of every new node, the sampler's prefills of every expanded context, and the tree bookkeeping.
 *
 * <p>Models: the given policy checkpoint and PRM directory, or (no arguments after the first three)
 * a random GPT-2 policy and a random PRM of width 128, 4 layers, 4 heads, context 512 on the ASCII
 * char tokenizer. Args: {@code [problems=32] [max_step_tokens=24] [max_steps=4] [policy] [prm]}.
 */
public final class SearchBench {
  private SearchBench() {}

  /** Entry point; see the class doc for the arguments. */
  public static void main(String[] args) throws Exception {
    int problems = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int stepTokens = args.length > 1 ? Integer.parseInt(args[1]) : 24;
    int maxSteps = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    System.setProperty("ai.djl.offline", "true");
    System.out.println("load before: " + BenchSupport.load());
    Path dir = Files.createTempDirectory("search-bench");
    Path policyDir;
    Path prmDir;
    if (args.length > 4) {
      policyDir = Path.of(args[3]);
      prmDir = Path.of(args[4]);
    } else {
      CharTokenizer tok = CharTokenizer.ascii();
      ModelConfig mc = new ModelConfig("gpt2", tok.vocabSize(), 128, 4, 4, 512, 0, 1e-5, 0.02);
      policyDir = dir.resolve("policy");
      prmDir = dir.resolve("prm");
      try (NDManager m = NDManager.newBaseManager()) {
        ModelCheckpoint.save(policyDir, new Gpt2Family().create(mc, m, 1), tok);
        RewardModel rm = RewardModel.create(new Gpt2Family().create(mc, m, 2), new HeadSpec("scalar", 1, "prm", "soft"), m, 2);
        rm.save(prmDir, tok);
      }
    }
    ArithTask task = new ArithTask(ArithConfig.DEFAULTS);
    List<Problem> ps = task.problems("test", problems);
    try (NDManager m = NDManager.newBaseManager();
        PrmReward prm = PrmReward.load(new PrmConfig(prmDir.toString(), "min", 64), task, "bench")) {
      Tokenizer tok = Tokenizers.load(policyDir);
      CausalLM lm = ModelCheckpoint.load(policyDir, m);
      Sampler sampler = new Sampler(lm, tok, Math.max(Sampler.DEFAULT_MAX_BATCH_SIZE, problems * 4));
      SamplingParams sp = new SamplingParams(1, 1.0, 1.0, -1, stepTokens, List.of(), 7L, false);
      SamplerProposer proposer = new SamplerProposer(sampler, sp);
      PrmValuer valuer = new PrmValuer(prm);
      System.out.printf("%d problems in flight, %d tokens per step at most, depth %d, policy %s%n", problems, stepTokens, maxSteps,
          args.length > 4 ? policyDir : "random GPT-2 128x4");
      // warm-up (JIT, caches)
      run("warm-up", ps.subList(0, Math.min(4, ps.size())), task, maxSteps, proposer, valuer,
          ex -> new BeamSearch(ex, new BeamConfig(2, 2, "min"))::run, false);
      double[] beam = run("beam (4 proposals, width 2)", ps, task, maxSteps, proposer, valuer,
          ex -> new BeamSearch(ex, new BeamConfig(4, 2, "min"))::run, true);
      double[] mcts = run("mcts (branch 3, 10 iterations)", ps, task, maxSteps, proposer, valuer,
          ex -> new MctsStar(ex, new MctsConfig(10, 0.0, 3, 0.4, 0.8, 2.0))::run, true);
      for (double[] r : new double[][] {beam, mcts}) {
        // plain batched sampling of about the same tokens: the same prompts, n = tokens / (problems * stepTokens)
        int n = (int) Math.max(1, Math.round(r[1] / (problems * (double) stepTokens)));
        List<String> prompts = ps.stream().map(task::prompt).toList();
        SamplingParams plain = new SamplingParams(n, 1.0, 1.0, -1, stepTokens, List.of(), 9L, true);
        long t0 = System.nanoTime();
        List<List<Completion>> out = sampler.generate(prompts, plain);
        double s = (System.nanoTime() - t0) / 1e9;
        long tokens = out.stream().flatMap(List::stream).mapToLong(c -> c.tokenIds().length).sum();
        System.out.printf("  plain sampling: %d prompts x n=%d x %d tokens = %d tokens in %.2f s: %.0f tokens/s; search/plain = %.2f%n",
            problems, n, stepTokens, tokens, s, tokens / s, (r[1] / r[2]) / (tokens / s));
      }
    }
    System.out.println("load after:  " + BenchSupport.load());
  }

  /** @return {proposed steps, tokens, seconds} */
  private static double[] run(String name, List<Problem> ps, ArithTask task, int maxSteps, SamplerProposer proposer, PrmValuer valuer,
      Function<Expander, Function<List<SearchTree>, ?>> algorithm, boolean print) {
    List<SearchTree> trees = new ArrayList<>();
    for (Problem p : ps) {
      trees.add(new SearchTree(p, task, maxSteps));
    }
    Expander ex = new Expander(proposer, valuer, 0);
    long t0 = System.nanoTime();
    algorithm.apply(ex).apply(trees);
    double s = (System.nanoTime() - t0) / 1e9;
    if (print) {
      System.out.printf("%s: %d proposed steps, %d tokens in %.2f s: %.1f steps/s, %.0f tokens/s (proposer %.1f s, PRM %.1f s)%n", name,
          ex.proposed(), ex.tokens(), s, ex.proposed() / s, ex.tokens() / s, ex.proposeSeconds(), ex.scoreSeconds());
    }
    return new double[] {ex.proposed(), ex.tokens(), s};
  }
}
