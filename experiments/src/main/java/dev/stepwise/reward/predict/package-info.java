/**
 * PRM/ORM prediction: per-step probabilities of sampled responses and trajectory rewards under
 * the reduces product, min, sum and last (the sampler job {@code predict}).
 */
package dev.stepwise.reward.predict;
