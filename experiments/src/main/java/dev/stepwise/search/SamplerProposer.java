package dev.stepwise.search;

import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Proposes steps with a local checkpoint through the batched KV-cache {@link Sampler}: every
 * context of a call (all frontier nodes of all problems in flight) goes to the sampler together,
 * with {@code n} samples per context and the stop string {@code "\n"} (one step = one line). The
 * sampler prefills each distinct context once and repeats its KV-cache rows for its {@code n}
 * samples ({@code KvCache.repeatRows}), so the shared prefix costs one prefill per node.
 *
 * <p>A proposal has {@link ProposedStep#ended} when its last token is an end-of-sequence token or
 * the context is full (prompt + step = {@code n_positions}): no step can follow it. A step cut by
 * {@code max_tokens} is still a step (the next proposal continues after it, on a new line). Call {@code r} uses the seed {@code seed + r * 0x9E3779B97F4A7C15} (no seed:
 * random), so a run is reproducible for a given seed up to floating-point differences between
 * batch compositions.
 */
public final class SamplerProposer implements StepProposer {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private final Sampler sampler;
  private final SamplingParams params;
  private final int contextLength;

  /**
   * @param params temperature, top_p, top_k, max_tokens (per step) and seed; {@code n} and
   *     {@code stop} are replaced per call
   */
  public SamplerProposer(Sampler sampler, SamplingParams params) {
    this.sampler = sampler;
    this.params = params.withStop(List.of("\n"));
    this.contextLength = sampler.model().config().nPositions();
  }

  @Override
  public List<List<ProposedStep>> propose(List<String> contexts, int n, long round) {
    Tokenizer tok = sampler.tokenizer();
    List<List<ProposedStep>> out = new ArrayList<>(contexts.size());
    List<String> fitting = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i < contexts.size(); i++) {
      out.add(List.of());
      int len = tok.encodePrompt(contexts.get(i)).length;
      if (len < contextLength) {
        fitting.add(contexts.get(i));
        where.add(i);
        lengths.add(len);
      }
    }
    if (fitting.isEmpty()) {
      return out;
    }
    SamplingParams p = params.withN(n);
    if (p.seed() != null) {
      p = p.withSeed(p.seed() + round * GOLDEN);
    }
    List<List<Completion>> gen = sampler.generate(fitting, p);
    for (int j = 0; j < fitting.size(); j++) {
      List<ProposedStep> steps = new ArrayList<>(n);
      for (Completion c : gen.get(j)) {
        int[] ids = c.tokenIds();
        boolean eos = ids.length > 0 && tok.isStop(ids[ids.length - 1]);
        boolean full = lengths.get(j) + ids.length >= contextLength;
        steps.add(new ProposedStep(c.text().trim(), ids.length, eos || full));
      }
      out.set(where.get(j), steps);
    }
    return out;
  }
}
