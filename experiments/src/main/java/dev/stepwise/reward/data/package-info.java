/**
 * Reward-model training data: labelled responses from sampled solutions (outcome, calculator
 * checks) or from Monte Carlo rollouts, tokenised so that only step-end tokens carry labels, and
 * collated into padded batches.
 */
package dev.stepwise.reward.data;
