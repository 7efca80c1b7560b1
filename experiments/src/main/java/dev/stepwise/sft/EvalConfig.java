package dev.stepwise.sft;

import dev.stepwise.config.Nullable;

/**
 * The {@code eval} config group: greedy accuracy on held-out problems during training.
 *
 * @param numProblems how many problems (from the start of the eval split) to evaluate during
 *     training, at least 1
 * @param batchSize prompts per generation batch
 * @param maxTokens maximum new tokens per completion
 * @param split the split evaluated during training; null = {@code validation} where the task
 *     has one (arith), else {@code test}. Anything chosen by it (the best model of GRPO and PPO)
 *     is then selected on problems the final test never sees.
 */
public record EvalConfig(int numProblems, int batchSize, int maxTokens, @Nullable String split) {}
