/**
 * The process reward model (PRM) as an RL reward: {@link dev.stepwise.rl.prm.PrmReward} loads a
 * trained reward-model directory ({@code objective = prm}) and scores every step of sampled
 * completions in batches; {@link dev.stepwise.rl.prm.PrmConfig} is the top-level {@code prm}
 * config section; {@link dev.stepwise.reward.predict.Reduce} turns step scores into GRPO's sequence
 * score.
 */
package dev.stepwise.rl.prm;
