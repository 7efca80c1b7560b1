/**
 * The DPO trainer objective ({@code objective = dpo}): sequence log-probabilities of the
 * concatenated chosen/rejected batch ({@link dev.stepwise.preference.dpo.SequenceLogProbs}), the
 * loss and TRL's metrics ({@link dev.stepwise.preference.dpo.DpoObjective}), the frozen reference
 * model's log-probabilities precomputed once and cached on disk ({@link
 * dev.stepwise.preference.dpo.ReferenceLogProbs}, {@link
 * dev.stepwise.preference.dpo.ReferenceCache}), and the job that wires them to the generic
 * trainer ({@link dev.stepwise.preference.dpo.DpoJob}).
 */
package dev.stepwise.preference.dpo;
