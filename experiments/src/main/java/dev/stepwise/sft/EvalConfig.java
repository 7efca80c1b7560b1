package dev.stepwise.sft;

/**
 * The {@code eval} config group: greedy accuracy on held-out problems.
 *
 * @param numProblems how many test problems (from the start of the test split) to evaluate
 *     during training, at least 1
 * @param batchSize prompts per generation batch
 * @param maxTokens maximum new tokens per completion
 */
public record EvalConfig(int numProblems, int batchSize, int maxTokens) {}
