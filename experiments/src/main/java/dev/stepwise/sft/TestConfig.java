package dev.stepwise.sft;

/**
 * The {@code test} section: the final greedy accuracy after training.
 *
 * @param numProblems how many test problems to score; 0 = the whole test split
 */
public record TestConfig(int numProblems) {}
