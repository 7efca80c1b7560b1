/**
 * Online reinforcement learning of the policy (issue 6): GRPO with group-normalised rewards
 * ({@link dev.stepwise.rl.GrpoJob}, objective {@code grpo}), the reward sources behind the
 * {@link dev.stepwise.rl.RewardFunction} interface (the task's answer check now; a process
 * reward model later), and the Guice module {@link dev.stepwise.rl.RlModule}. See {@code
 * docs/rl.md}.
 */
package dev.stepwise.rl;
