/**
 * Search over reasoning steps at inference time (issue 17): the step-level interface ({@link
 * dev.stepwise.search.StepProposer} proposes next steps, {@link dev.stepwise.search.StepValuer}
 * scores partial solutions, {@link dev.stepwise.search.SearchTree} holds what was explored), the
 * sampler jobs {@code beam}, {@code mcts} and {@code omegaprm} ({@link
 * dev.stepwise.search.SearchModule}), and in sub-packages the algorithms: PRM-guided step beam
 * search ({@code beam}), MCTS* of ReST-MCTS* ({@code mcts}), ReST-MCTS*'s value-target inference
 * and exports ({@code value}) and OmegaPRM annotation ({@code omega}). docs/search.md describes
 * every key.
 */
package dev.stepwise.search;
