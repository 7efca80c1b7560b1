/**
 * The iteration runner of the self-improvement loops (issue 18): {@code sampler.jar job=loop}
 * runs, from one HOCON config, a list of existing jobs once ({@code loop.setup}) and then per
 * iteration ({@code loop.stages}), each as a child JVM of {@code trainer.jar}, {@code sampler.jar}
 * or {@code api-caller.jar} with its own {@code -cp/-cn} and overrides, in {@code
 * <loop dir>/setup/<stage>/} and {@code <loop dir>/iter_<k>/<stage>/}. Outputs of iteration k
 * reach iteration k+1 through placeholders ({@link StageRefs}); a finished stage leaves a marker
 * so that a rerun after a kill resumes at the first unfinished stage; the end prints one Markdown
 * row per iteration ({@link LoopTable}). It is deliberately no workflow engine: stages run one
 * after the other, in the order written.
 */
package dev.stepwise.loop;
