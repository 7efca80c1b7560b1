/** Reward-model evaluation: step probabilities without gradients, step accuracy and ROC AUC. */
package dev.stepwise.reward.eval;
