/**
 * Step PPO (issue 6 item 1, {@code objective = step_ppo}): actor, critic ({@link
 * dev.stepwise.rl.ppo.Critic}), frozen reference and the PRM as a dense step reward. One idea per
 * file: {@link dev.stepwise.rl.ppo.KlEstimator}, {@link dev.stepwise.rl.ppo.RewardPlacement},
 * {@link dev.stepwise.rl.ppo.Gae}, {@link dev.stepwise.rl.ppo.Whiten}, {@link
 * dev.stepwise.rl.ppo.PpoPolicyLoss}, {@link dev.stepwise.rl.ppo.ValueLoss}, the rollout buffer
 * ({@link dev.stepwise.rl.ppo.PpoRollouts}), the objective ({@link
 * dev.stepwise.rl.ppo.StepPpoObjective}) and the job ({@link dev.stepwise.rl.ppo.StepPpoJob}).
 * Names and defaults follow TRL's {@code PPOConfig} / {@code PPOTrainer}.
 */
package dev.stepwise.rl.ppo;
