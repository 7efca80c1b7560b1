/**
 * Reasoning tasks: where problems come from, how they are prompted, how a completion splits
 * into steps and how its final answer is read and checked.
 *
 * <ul>
 *   <li>{@link dev.stepwise.task.ArithTask} ({@code arith}): a seeded generator of multi-step
 *       arithmetic word problems written in GSM8K's format, small enough for a tiny model;
 *   <li>{@link dev.stepwise.task.Gsm8kTask} ({@code gsm8k}): the GSM8K files (Cobbe et al. 2021);
 *   <li>{@link dev.stepwise.task.Answers}, {@link dev.stepwise.task.Steps}, {@link
 *       dev.stepwise.task.CalculatorAnnotations}: answer extraction and numeric comparison, step
 *       splitting and {@code <<a*b=c>>} annotations, shared by both tasks.
 * </ul>
 *
 * <p>Both tasks use the GSM8K-style prompt {@code "Question: " + question + "\nAnswer:\n"}; the
 * target is the worked solution (one step per line, final line {@code #### N}), to which the
 * trainer appends the tokenizer's end-of-sequence token.
 */
package dev.stepwise.task;
