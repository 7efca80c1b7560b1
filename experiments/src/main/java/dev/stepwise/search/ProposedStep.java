package dev.stepwise.search;

/**
 * One next step proposed for a partial solution.
 *
 * @param text the step's text, one line, trimmed (may be empty: the model ended or wrote a blank
 *     line)
 * @param tokens tokens the proposer generated for it (its cost; the stop token included), &ge; 0
 * @param ended true when the model ended the solution with this step (end-of-sequence token or
 *     the token budget reached), so no step can follow it
 */
public record ProposedStep(String text, int tokens, boolean ended) {}
