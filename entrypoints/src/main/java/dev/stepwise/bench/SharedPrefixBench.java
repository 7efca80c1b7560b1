package dev.stepwise.bench;

import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The saving from shared-prefix rollouts (issue 4, "Rollouts and labels": {@code k} completions
 * from one intermediate state share the state's prefill and cache rows) against independent
 * generations of the same tokens.
 *
 * <p>Three ways to produce {@code k} completions of {@code completion} tokens from one prompt of
 * {@code prefix} tokens, all through {@link Sampler#generateIds} with temperature 1 and EOS
 * ignored (so every way generates exactly {@code k·completion} tokens):
 *
 * <ul>
 *   <li><b>shared</b>: one call, one prompt, {@code n = k} (the prompt is prefilled once and its
 *       cache rows are repeated for the k rows);
 *   <li><b>independent, batched</b>: one call with {@code k} copies of the prompt as separate
 *       prompts, {@code n = 1} (k prefills, decoded together);
 *   <li><b>independent, separate calls</b>: {@code k} calls with the prompt, {@code n = 1} each
 *       (what a per-rollout loop does).
 * </ul>
 *
 * <p>Each is timed end to end (wall clock, milliseconds) and reported as the median over the
 * measured runs after warm-up, with the ratio shared / independent. Target (issue 4): shared
 * costs at most half of independent when the prefix is longer than the completion.
 */
final class SharedPrefixBench {
  private SharedPrefixBench() {}

  /**
   * Runs the comparison and prints one line per way plus the ratios.
   *
   * @param sampler the sampler under test (its model's context must hold prefix + completion)
   * @param vocab token ids are drawn from [1, vocab)
   * @param context the model's context length n_positions
   * @param k completions per state (≥ 1)
   * @param prefix prompt tokens (≥ 1)
   * @param completion new tokens per completion (≥ 1)
   * @param runs measured runs (≥ 1); {@code warmup} runs before them are not timed
   * @return median milliseconds of {shared, independent batched, independent separate calls}
   * @throws IllegalArgumentException when a count is below 1 or prefix + completion exceeds the
   *     context
   */
  static double[] run(
      Sampler sampler, int vocab, int context, int k, int prefix, int completion, int runs, int warmup) {
    if (k < 1 || prefix < 1 || completion < 1 || runs < 1 || prefix + completion > context) {
      throw new IllegalArgumentException(
          "shared-prefix bench needs k, prefix, completion, runs >= 1 and prefix + completion <= context "
              + context + ", got k=" + k + " prefix=" + prefix + " completion=" + completion + " runs=" + runs);
    }
    Random rnd = new Random(42);
    int[] prompt = new int[prefix];
    for (int i = 0; i < prefix; i++) {
      prompt[i] = 1 + rnd.nextInt(vocab - 1);
    }
    SamplingParams p =
        SamplingParams.defaults().withMaxTokens(completion).withTemperature(1.0).withIgnoreEos(true);
    List<int[]> copies = new ArrayList<>(Collections.nCopies(k, prompt));
    double[][] ms = new double[3][runs];
    long expected = (long) k * completion;
    for (int r = -warmup; r < runs; r++) {
      // interleave the three ways so that load changes hit all of them alike
      for (int way = 0; way < 3; way++) {
        SamplingParams pr = p.withSeed((long) r);
        long s = System.nanoTime();
        long tokens = 0;
        if (way == 0) {
          tokens = count(sampler.generateIds(List.of(prompt), pr.withN(k)));
        } else if (way == 1) {
          tokens = count(sampler.generateIds(copies, pr));
        } else {
          for (int j = 0; j < k; j++) {
            tokens += count(sampler.generateIds(List.of(prompt), pr.withSeed((long) r * k + j)));
          }
        }
        double t = (System.nanoTime() - s) / 1e6;
        if (tokens != expected) {
          throw new IllegalStateException("expected " + expected + " tokens, got " + tokens);
        }
        if (r >= 0) {
          ms[way][r] = t;
        }
      }
    }
    double[] med = {BenchSupport.median(ms[0]), BenchSupport.median(ms[1]), BenchSupport.median(ms[2])};
    System.out.printf(
        "shared prefix: k=%d completions of %d tokens from one %d-token prompt; medians of %d runs%n",
        k, completion, prefix, runs);
    System.out.printf("  shared (one prompt, n=%d, one prefill):      %8.1f ms  (min %.1f)%n", k, med[0], min(ms[0]));
    System.out.printf("  independent, batched (%d prompts, n=1):       %8.1f ms  (min %.1f)%n", k, med[1], min(ms[1]));
    System.out.printf("  independent, %d separate calls (n=1 each):    %8.1f ms  (min %.1f)%n", k, med[2], min(ms[2]));
    System.out.printf(
        "  shared / independent: %.2f of batched, %.2f of separate calls (target <= 0.50)%n",
        med[0] / med[1], med[0] / med[2]);
    return med;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static long count(List<List<Completion>> out) {
    long n = 0;
    for (List<Completion> l : out) {
      for (Completion c : l) {
        n += c.tokenIds().length;
      }
    }
    return n;
  }
}
