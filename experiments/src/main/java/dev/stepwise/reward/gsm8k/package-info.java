/**
 * GSM8K's released model solutions (real GPT-3 samples with correctness flags) as sampled
 * solutions for reward-model training and best-of-4 evaluation (the sampler job {@code
 * model_solutions}).
 */
package dev.stepwise.reward.gsm8k;
