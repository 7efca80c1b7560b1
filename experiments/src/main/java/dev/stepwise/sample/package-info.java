/**
 * Trajectory sampling: {@code n} solutions per problem from a checkpoint, written as resumable
 * JSONL ({@code {"id","prompt","label","response":[..],"pred":[..]}}), with pass@n and
 * majority-vote summaries.
 */
package dev.stepwise.sample;
