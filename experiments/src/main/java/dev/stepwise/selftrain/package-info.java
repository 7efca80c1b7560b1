/**
 * Building blocks of the self-improvement loops (issue 18, docs/self_training.md): Self-Rewarding's
 * pairs from the model's own judge scores ({@link SelfRewardingPairs}, highest against lowest mean
 * score, ties dropped; Yuan et al. 2024), Self-Instruct's prompt deduplication by ROUGE-L ({@link
 * RougeL}, {@link PromptDedup}; Wang et al. 2023) and RLCD's pairs from responses sampled under a
 * positive and a negative system prompt ({@link RlcdPairs}, identical responses dropped; Yang et
 * al. 2023). The stages are chained by the loop runner ({@code dev.stepwise.loop}).
 */
package dev.stepwise.selftrain;
