/**
 * Sampling and judging through OpenAI-compatible services (vLLM replicas, the Stepwise server):
 * the {@code api-caller.jar} jobs ({@code sample}: {@link dev.stepwise.caller.ApiSampleJob},
 * {@code judge}: {@link dev.stepwise.caller.JudgeJob}, {@code rollouts}: {@link
 * dev.stepwise.caller.ApiRolloutsJob}), the request helper {@link
 * dev.stepwise.caller.ApiCompletions}, the
 * {@code serve} job of {@code sampler.jar} ({@link dev.stepwise.caller.ServeJob}) and their Guice
 * module {@link dev.stepwise.caller.CallerModule}.
 */
package dev.stepwise.caller;
