package dev.stepwise.preference.pairs;

import java.util.List;

/**
 * The explorer of Self-Explore (Hwang et al. 2024, Sec. 3.2): a policy that continues partial
 * solutions. {@link FirstPit} asks it for {@code k} continuations of each prefix prompt and judges
 * them; {@link SamplerExplorer} is the real one (a checkpoint behind {@link
 * dev.stepwise.generate.Sampler}).
 */
public interface Explorer {
  /**
   * Continues every prompt {@code k} times.
   *
   * @param prompts prompt texts (question prompt followed by a prefix of a response), in order
   * @param k continuations per prompt, at least 1
   * @param seed the seed of this call's random streams; the same prompts, k and seed give the
   *     same continuations
   * @return one list per prompt, same order: its {@code k} continuations (text after the
   *     prompt) in sample order, or an empty list when the prompt leaves no room to generate
   *     (it fills the model's context)
   */
  List<List<String>> explore(List<String> prompts, int k, long seed);
}
