package dev.stepwise.search;

import java.util.List;

/**
 * Proposes next reasoning steps: the policy of every search (ReST-MCTS*'s {@code
 * get_next_step}, the GFlowNets seed's step sampler). Implementations: {@link SamplerProposer}
 * (a local checkpoint through the batched KV-cache sampler) and {@link ApiProposer} (any
 * OpenAI-compatible endpoint).
 */
public interface StepProposer {
  /**
   * Proposes {@code n} next steps for every context in one batched call.
   *
   * @param contexts per partial solution, the text the model continues: the task's prompt, then
   *     each step so far followed by a newline ({@link SearchNode#context})
   * @param n proposals per context, &ge; 1
   * @param round a counter the caller increments per call, so calls draw different random
   *     streams while a run stays reproducible for a given seed
   * @return per context (same order), its proposals in sample order; an empty list for a context
   *     that leaves no room in the model's context length
   */
  List<List<ProposedStep>> propose(List<String> contexts, int n, long round);
}
