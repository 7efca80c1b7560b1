package dev.stepwise.task;

/**
 * One problem of a task.
 *
 * @param id stable identifier (e.g. {@code "gsm8k-test-17"}, {@code "arith-train-42"})
 * @param question the question text
 * @param solution the reference worked solution (GSM8K format: one step per line, {@code
 *     <<a*b=c>>} annotations, final line {@code #### N}); empty when unknown
 * @param label the gold final answer as a string (e.g. {@code "72"})
 */
public record Problem(String id, String question, String solution, String label) {}
