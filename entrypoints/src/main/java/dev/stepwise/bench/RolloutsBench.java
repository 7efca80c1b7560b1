package dev.stepwise.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepwise.cli.CliIo;
import dev.stepwise.entry.SamplerMain;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.CharTokenizer;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.reward.synth.StateRecord;
import dev.stepwise.reward.synth.StateSampler;
import dev.stepwise.sample.SampleRecord;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rollout throughput: (1) states per second of the whole {@code rollouts} job (sampler.jar's
 * entry point in this JVM: config, model load, {@code k} rollouts per state, labels, JSONL), and
 * (2) the cost of {@code k} rollouts from one state with the shared prefix (one prompt, {@code n =
 * k}: one prefill, cache rows repeated) against {@code k} independent generations ({@code k}
 * copies of the prompt, {@code n = 1}).
 *
 * <p>Model: GPT-2 width 128, 4 layers, 4 heads, context 512, the 102-id ASCII char tokenizer,
 * random init. States: every step prefix (answer step dropped) of the reference solutions of the
 * first {@code problems} arith test problems (defaults: 1-3 steps, operands up to 20), about
 * 150-250 tokens of prompt + state; completions of {@code max_tokens} tokens with EOS ignored, so
 * the prefix is longer than the completion. Args: {@code [problems=16] [k=8] [max_tokens=32]
 * [batch_states=8]}.
 */
public final class RolloutsBench {
  private RolloutsBench() {}

  /** Entry point; see the class doc for the arguments. */
  public static void main(String[] args) throws Exception {
    int problems = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int k = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int maxTokens = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    System.setProperty("ai.djl.offline", "true");
    System.out.println("load before: " + BenchSupport.load());
    Path dir = Files.createTempDirectory("rollouts-bench");
    CharTokenizer tok = CharTokenizer.ascii();
    ArithTask task = new ArithTask(ArithConfig.DEFAULTS);
    List<Problem> ps = task.problems("test", problems);
    ObjectMapper om = new ObjectMapper();
    List<String> sampleLines = new ArrayList<>();
    List<String> stateLines = new ArrayList<>();
    List<StateRecord> states = new ArrayList<>();
    StateSampler sampler = new StateSampler(1.0, 0.0, 1);
    for (Problem p : ps) {
      SampleRecord r = new SampleRecord(p.id(), task.prompt(p), p.label(), List.of(p.solution()), List.of(p.label()));
      sampleLines.add(om.writeValueAsString(r));
      for (StateRecord s : sampler.states(r, task)) {
        states.add(s);
        stateLines.add(om.writeValueAsString(s));
      }
    }
    Files.write(dir.resolve("samples.jsonl"), sampleLines);
    Files.write(dir.resolve("states.jsonl"), stateLines);
    double meanPrefix = states.stream().mapToInt(s -> tok.encode(s.prompt() + s.state()).length).average().orElse(0);
    try (NDManager m = NDManager.newBaseManager()) {
      CausalLM model = new Gpt2Family().create(new ModelConfig("gpt2", tok.vocabSize(), 128, 4, 4, 512, 0, 1e-5, 0.02), m, 1);
      ModelCheckpoint.save(dir.resolve("ckpt"), model, tok);
      System.out.printf("states: %d from %d problems, mean prompt+state %.0f tokens, k=%d, %d new tokens per rollout, %d states per sampler call%n",
          states.size(), ps.size(), meanPrefix, k, maxTokens, batch);

      // (1) the whole rollouts job
      long t0 = System.nanoTime();
      int rc = SamplerMain.run(new String[] {
          "-cp", Path.of("conf/exp/sample/arith").toAbsolutePath().toString(), "-cn", "tiny_rollouts",
          "rollouts.model_path=" + dir.resolve("ckpt"), "rollouts.states_file=" + dir.resolve("states.jsonl"),
          "rollouts.samples_file=" + dir.resolve("samples.jsonl"), "rollouts.output_file=" + dir.resolve("rollouts.jsonl"),
          "rollouts.batch_size=" + batch, "api.vllm_params.n=" + k, "api.vllm_params.max_tokens=" + maxTokens,
          "api.vllm_params.ignore_eos=true", "run.dir=" + dir.resolve("run"), "tracker=[jsonl]"}, CliIo.system());
      double wall = (System.nanoTime() - t0) / 1e9;
      if (rc != 0) {
        throw new IllegalStateException("rollouts job failed with exit code " + rc);
      }
      System.out.printf("rollouts job: %d states in %.2f s wall (JVM warm, model load included): %.2f states/s, %.0f rollout tokens/s%n",
          states.size(), wall, states.size() / wall, states.size() * (double) k * maxTokens / wall);

      // (2) shared prefix against independent generations, one batch of states
      List<StateRecord> some = states.subList(0, Math.min(batch, states.size()));
      List<String> prompts = some.stream().map(s -> s.prompt() + s.state()).toList();
      List<String> copies = new ArrayList<>();
      prompts.forEach(p -> { for (int j = 0; j < k; j++) copies.add(p); });
      Sampler s = new Sampler(model, tok, some.size() * k);
      SamplingParams shared = new SamplingParams(k, 1.0, 1.0, 0, maxTokens, List.of(), 5L, true);
      SamplingParams indep = shared.withN(1);
      int runs = 3;
      double[] ts = new double[runs];
      double[] ti = new double[runs];
      for (int r = -1; r < runs; r++) {
        long a = System.nanoTime();
        s.generate(prompts, shared);
        long b = System.nanoTime();
        s.generate(copies, indep);
        long c = System.nanoTime();
        if (r >= 0) {
          ts[r] = (b - a) / 1e9;
          ti[r] = (c - b) / 1e9;
        }
      }
      double ms = BenchSupport.median(ts);
      double mi = BenchSupport.median(ti);
      System.out.printf("%d states x k=%d: shared prefix %.3f s, independent %.3f s (medians of %d): shared/independent = %.2f%n",
          some.size(), k, ms, mi, runs, ms / mi);
    }
    System.out.println("load after:  " + BenchSupport.load());
  }
}
