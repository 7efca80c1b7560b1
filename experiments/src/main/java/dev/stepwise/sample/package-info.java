/**
 * Trajectory sampling: {@code n} solutions per problem from a checkpoint, written as resumable
 * JSONL ({@code {"id","prompt","label","response":[..],"pred":[..]}}) that a re-run after any
 * kill completes exactly as an uninterrupted run would, with an optional greedy pass and pass@n,
 * majority-vote, mean and greedy accuracy summaries.
 */
package dev.stepwise.sample;
