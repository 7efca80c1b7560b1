/**
 * ReST-MCTS*'s value-target inference over searched trees with oracle answers ({@link
 * dev.stepwise.search.value.ValueTargets}) and the self-training data built from it ({@link
 * dev.stepwise.search.value.TreeExports}): soft-label rows for the PRM trainer, positive traces
 * for SFT (RFT's sample format) and preference pairs for DPO.
 */
package dev.stepwise.search.value;
