/**
 * MCTS* of ReST-MCTS* (Zhang et al. 2024, arXiv 2406.03816, section 3.1 and the reference's
 * {@code MCTS/mcts.py}): selection by UCT on the value model's quality values, expansion by
 * {@code branch} proposed steps, evaluation of the new nodes by the value model (no rollout),
 * visit-weighted backpropagation, stop at {@code iteration_limit} / {@code time_limit} or at a
 * terminal node whose value reaches {@code end_gate}.
 */
package dev.stepwise.search.mcts;
