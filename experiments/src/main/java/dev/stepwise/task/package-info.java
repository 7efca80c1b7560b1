/**
 * Reasoning tasks: where problems come from, how they are prompted, how a completion splits
 * into steps and how its final answer is read and checked.
 *
 * <ul>
 *   <li>{@link dev.stepwise.task.ArithTask} ({@code arith}): a seeded generator of multi-step
 *       arithmetic word problems written in GSM8K's format, small enough for a tiny model;
 *   <li>{@link dev.stepwise.task.Gsm8kTask} ({@code gsm8k}): the GSM8K files (Cobbe et al. 2021);
 *       {@link dev.stepwise.task.Gsm8kModelSolutions} reads its example model solutions ({@code A:
 *       N} endings, {@code is_correct} flags);
 *   <li>{@link dev.stepwise.task.LogiQa2Task} ({@code logiqa2}): LogiQA 2.0 in the ReAct format
 *       ({@code Context/Question/Options/Thought 1:} prompt, {@link dev.stepwise.task.ReactSteps}
 *       Thought/Action/Observation steps, {@link dev.stepwise.task.ReactAnswers} single-letter
 *       {@code Finish[...]} check);
 *   <li>{@link dev.stepwise.task.Answers}, {@link dev.stepwise.task.Steps}, {@link
 *       dev.stepwise.task.CalculatorAnnotations}: answer extraction and numeric comparison, step
 *       splitting and {@code <<a*b=c>>} annotations, shared by both tasks.
 * </ul>
 *
 * <p>The math tasks use the GSM8K-style prompt {@code "Question: " + question + "\nAnswer:\n"}; the
 * target is the worked solution (one step per line, final line {@code #### N}), to which the
 * trainer appends the tokenizer's end-of-sequence token.
 */
package dev.stepwise.task;
