/**
 * PRM-guided step beam search ("Guided Search" of the GFlowNets seed, Younsi et al. 2025; step
 * beam search with a PRM as in the PRM literature): keep the {@code beam_width} best partial
 * solutions by the aggregated PRM score of their steps, extend each by {@code
 * num_proposed_steps} proposed steps, repeat up to {@code max_steps}.
 */
package dev.stepwise.search.beam;
