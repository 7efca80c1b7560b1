package dev.stepwise.bench;

import ai.djl.ndarray.NDManager;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelConfig;
import dev.stepwise.preference.data.PairBatch;
import dev.stepwise.preference.data.PairData;
import dev.stepwise.preference.dpo.DpoObjective;
import dev.stepwise.preference.dpo.ReferenceLogProbs;
import dev.stepwise.preference.loss.SigmoidLoss;
import dev.stepwise.run.Tracker;
import dev.stepwise.sft.SftData;
import dev.stepwise.sft.SftExample;
import dev.stepwise.sft.SftObjective;
import dev.stepwise.train.CheckpointHook;
import dev.stepwise.train.Objective;
import dev.stepwise.train.OptimConfig;
import dev.stepwise.train.TrainData;
import dev.stepwise.train.Trainer;
import dev.stepwise.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The cost of a DPO optimizer step against an SFT step on the same tokens. Shape as {@link
 * TrainStepBench}: GPT-2 width 128, 4 layers, 4 heads, context 128, vocabulary 100. Every step
 * processes 16 rows of 128 input tokens (2,048 tokens): SFT = 16 random sequences; DPO = 8 pairs
 * whose chosen and rejected rows share a 16-token prompt (the concatenated (16, 128) batch).
 * Three modes, each the real {@link Trainer} step (AdamW, clipping, logging every step):
 *
 * <ul>
 *   <li>{@code sft}: {@link SftObjective};
 *   <li>{@code dpo_precomputed}: {@link DpoObjective} with reference log-probs attached to the
 *       batches (computed once before, not timed): one policy forward + backward per step;
 *   <li>{@code dpo_reference}: {@link DpoObjective} with the frozen reference model run in the
 *       step (an extra no-grad forward).
 * </ul>
 *
 * The modes run in interleaved rounds (sft, dpo_precomputed, dpo_reference, sft, ...) so that a
 * change of machine load hits all of them alike; each mode's figure is the median step time over
 * all its timed steps. System properties: {@code bench.rounds} (default 3), {@code bench.steps}
 * timed steps per round (default 10), {@code bench.warmup} (default 3).
 */
public final class DpoStepBench {
  private static final int ROWS = 16;
  private static final int T = 128;
  private static final int VOCAB = 100;
  private static final int PROMPT = 16;

  private DpoStepBench() {}

  /** Times each trainer log call (one per step). */
  private static final class Clock implements Tracker {
    final List<Long> nanos = new ArrayList<>();

    @Override
    public void log(long step, Map<String, ?> metrics) {
      nanos.add(System.nanoTime());
    }

    @Override
    public void close() {}
  }

  /**
   * Prints each mode's median step time and its ratio to SFT.
   *
   * @throws IOException when the temporary output directory cannot be created or removed
   */
  public static void main(String[] args) throws IOException {
    int rounds = Integer.getInteger("bench.rounds", 3);
    int steps = Integer.getInteger("bench.steps", 10);
    int warmup = Integer.getInteger("bench.warmup", 3);
    System.out.println("load before: " + BenchSupport.load());
    ModelConfig cfg = new ModelConfig("gpt2", VOCAB, 128, 4, 4, T, 0, 1e-5, 0.02);
    int total = warmup + steps;
    Random rnd = new Random(0);
    List<SftExample> sftRows = new ArrayList<>();
    List<SftExample> chosen = new ArrayList<>();
    List<SftExample> rejected = new ArrayList<>();
    for (int i = 0; i < total * ROWS; i++) {
      sftRows.add(row(rnd, randomIds(rnd, PROMPT)));
    }
    for (int i = 0; i < total * ROWS / 2; i++) {
      int[] prompt = randomIds(rnd, PROMPT);
      chosen.add(row(rnd, prompt));
      rejected.add(row(rnd, prompt));
    }
    Map<String, List<Double>> times = new java.util.LinkedHashMap<>();
    Path out = Files.createTempDirectory("stepwise-dpo-bench");
    try (NDManager base = NDManager.newBaseManager()) {
      CausalLM policy = new Gpt2Family().create(cfg, base, 0);
      CausalLM reference = new Gpt2Family().create(cfg, base, 0);
      reference.setTrainable(false);
      SftData sft = new SftData(sftRows, T, 0);
      PairData inStep = PairData.ofExamples(chosen, rejected, T, 0);
      PairData pre = PairData.ofExamples(chosen, rejected, T, 0);
      float[][] ref = ReferenceLogProbs.compute(reference, pre, ROWS / 2, false);
      pre.withReference(ref[0], ref[1]);
      for (int r = 0; r < rounds; r++) {
        time(times, "sft", total, warmup, policy, new SftObjective(policy), sft, ROWS, out);
        time(times, "dpo_precomputed", total, warmup, policy,
            new DpoObjective(policy, null, new SigmoidLoss(0), 0.1, 0), pre, ROWS / 2, out);
        time(times, "dpo_reference", total, warmup, policy,
            new DpoObjective(policy, reference, new SigmoidLoss(0), 0.1, 0), inStep, ROWS / 2, out);
      }
    } finally {
      try (Stream<Path> s = Files.walk(out)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    double sftMed = median(times.get("sft"));
    System.out.printf("shape: GPT-2 width 128, 4 layers, 4 heads; %d rows x %d tokens per step (DPO: %d pairs)%n", ROWS, T, ROWS / 2);
    for (Map.Entry<String, List<Double>> e : times.entrySet()) {
      double med = median(e.getValue());
      System.out.printf("%-16s median %.1f ms over %d steps (%d rounds); %.2fx sft%n",
          e.getKey(), med, e.getValue().size(), rounds, med / sftMed);
    }
    System.out.println("load after:  " + BenchSupport.load());
  }

  private static <B> void time(Map<String, List<Double>> times, String name, int total, int warmup, CausalLM policy,
      Objective<B> objective, TrainData<B> data, int batch, Path out) throws IOException {
    TrainerConfig tc = new TrainerConfig((long) total, null, batch, 1, 1.0, 1L, 0L, total + 1L, 1, "never", 0L, false);
    OptimConfig oc = new OptimConfig("adamw", 1e-5, 0.0, null, null, null, "constant", null, null, null);
    Clock clock = new Clock();
    CheckpointHook none = new CheckpointHook() {
      @Override
      public void save(Path dir) {}

      @Override
      public void load(Path dir) {
        throw new UnsupportedOperationException();
      }
    };
    new Trainer<>(tc, oc, policy.parameters(), objective, data, none, out.resolve(name + System.nanoTime()))
        .withTrackers(List.of(clock)).train();
    List<Double> t = times.computeIfAbsent(name, k -> new ArrayList<>());
    for (int i = warmup; i < total; i++) {
      t.add((clock.nanos.get(i) - clock.nanos.get(i - 1)) / 1e6);
    }
  }

  private static double median(List<Double> v) {
    return BenchSupport.median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static int[] randomIds(Random rnd, int n) {
    int[] ids = new int[n];
    for (int k = 0; k < n; k++) {
      ids[k] = 1 + rnd.nextInt(VOCAB - 1);
    }
    return ids;
  }

  /** prompt + 112 random completion ids + EOS (0): 129 tokens, 128 inputs, no padding. */
  private static SftExample row(Random rnd, int[] prompt) {
    int[] completion = new int[T + 1 - PROMPT];
    System.arraycopy(randomIds(rnd, completion.length - 1), 0, completion, 0, completion.length - 1);
    return new SftExample(prompt, completion);
  }
}
