/**
 * Reports over finished pipeline directories: {@link dev.stepwise.report.ResultsTable} (a
 * command-line tool, {@code java -cp sampler.jar dev.stepwise.report.ResultsTable DIR}) reads
 * the evaluation summaries ({@link dev.stepwise.report.EvalResult}) and the stage timings
 * ({@link dev.stepwise.report.StageTimings}) that {@code scripts/pipelines/lpr_arith.sh} writes
 * and prints the comparison table in Markdown, with mean, standard deviation and range over
 * seeds ({@link dev.stepwise.report.Spread}). No model code runs here. See {@code
 * docs/results.md}, section "The comparison pipeline".
 */
package dev.stepwise.report;
