/**
 * Process-reward synthesis (Jiao et al. 2024, "Learning Planning-based Reasoning with Trajectory
 * Collection and Process Rewards Synthesizing"; the same Monte Carlo labels as OmegaPRM and
 * ReST-MCTS*): intermediate reasoning states sampled from solutions ({@link
 * dev.stepwise.reward.synth.StatesJob}, sampler job {@code states}), {@code k} rollouts from each
 * state judged by the task's answer check ({@link dev.stepwise.reward.synth.RolloutsJob}, sampler
 * job {@code rollouts}), and the resulting labels {@code value} (correct rollouts, 0..k) and
 * {@code mc_value} (their fraction). Record formats: {@link
 * dev.stepwise.reward.synth.StateRecord}, {@link dev.stepwise.reward.synth.RolloutRecord}; see
 * {@code docs/trajectories.md}.
 */
package dev.stepwise.reward.synth;
