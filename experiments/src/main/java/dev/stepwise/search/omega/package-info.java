/**
 * OmegaPRM annotation (Luo et al. 2024, arXiv 2406.06592): per question a tree of states with
 * Monte Carlo statistics, selection of the next rollout to search by Q(s, r) + U(s), binary search
 * for the first error of a wrong rollout with k completions per probe, rows (question + prefix,
 * next step, MC score), then data augmentation deduplicated by text similarity. Sampler job {@code
 * omegaprm}.
 */
package dev.stepwise.search.omega;
