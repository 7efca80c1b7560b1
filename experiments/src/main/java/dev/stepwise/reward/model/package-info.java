/**
 * Reward models: the policy's transformer with a scalar or k+1-class head on every position,
 * saved as a Hugging Face checkpoint plus {@code reward_head.safetensors} and {@code
 * reward_head.json}.
 */
package dev.stepwise.reward.model;
