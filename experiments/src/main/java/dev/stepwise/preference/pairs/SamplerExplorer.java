package dev.stepwise.preference.pairs;

import ai.djl.ndarray.NDManager;
import dev.stepwise.generate.Completion;
import dev.stepwise.generate.Sampler;
import dev.stepwise.generate.SamplingParams;
import dev.stepwise.model.CausalLM;
import dev.stepwise.model.ModelCheckpoint;
import dev.stepwise.model.Tokenizer;
import dev.stepwise.model.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Explorer} over a checkpoint: each {@link #explore} call is one {@link
 * Sampler#generate} call with {@code n = k}, so every prefix prompt is prefilled once and its
 * KV-cache rows are repeated for its {@code k} continuations (vLLM's {@code n} in Self-Explore's
 * {@code gen_step_explore.py}). Continuation j of prompt i draws the sampler's counter-based
 * stream {@code (seed, i, j)}, so a call is reproducible for a given seed.
 *
 * <p>Prompts whose token count reaches the model's context length ({@code n_positions}) get an
 * empty list and are not sent to the sampler. Owns the model's memory: close it.
 */
public final class SamplerExplorer implements Explorer, AutoCloseable {
  private final NDManager manager;
  private final Tokenizer tokenizer;
  private final int contextLength;
  private final Sampler sampler;
  private final SamplingParams params;

  private SamplerExplorer(NDManager manager, CausalLM lm, Tokenizer tokenizer, SamplingParams params, int maxBatch) {
    this.manager = manager;
    this.tokenizer = tokenizer;
    this.contextLength = lm.config().nPositions();
    this.sampler = new Sampler(lm, tokenizer, Math.max(1, maxBatch));
    this.params = params;
  }

  /**
   * Loads the explorer.
   *
   * @param checkpoint a checkpoint directory ({@link ModelCheckpoint}: config.json,
   *     model.safetensors, tokenizer)
   * @param params sampling parameters ({@code n} and {@code seed} are replaced per call)
   * @param maxBatch most completions decoded together (prefixes per call times {@code k})
   * @throws IOException when the checkpoint cannot be read
   */
  public static SamplerExplorer load(Path checkpoint, SamplingParams params, int maxBatch) throws IOException {
    NDManager m = NDManager.newBaseManager();
    try {
      Tokenizer tok = Tokenizers.load(checkpoint);
      CausalLM lm = ModelCheckpoint.load(checkpoint, m);
      return new SamplerExplorer(m, lm, tok, params, maxBatch);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @Override
  public List<List<String>> explore(List<String> prompts, int k, long seed) {
    List<Integer> fitting = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      if (tokenizer.encodePrompt(prompts.get(i)).length < contextLength) {
        fitting.add(i);
        sent.add(prompts.get(i));
      }
    }
    List<List<String>> out = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      out.add(List.of());
    }
    if (!sent.isEmpty()) {
      List<List<Completion>> gen = sampler.generate(sent, params.withN(k).withSeed(seed));
      for (int i = 0; i < fitting.size(); i++) {
        out.set(fitting.get(i), gen.get(i).stream().map(Completion::text).toList());
      }
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
