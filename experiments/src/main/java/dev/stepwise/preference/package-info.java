/**
 * Preference optimisation: the DPO objective and its loss family ({@code loss}), preference pair
 * data and its tokenisation ({@code data}), the DPO trainer job with its frozen reference model and
 * cached reference log-probabilities ({@code dpo}), and the jobs that build pairs from sampling
 * runs ({@code pairs}). {@link dev.stepwise.preference.PreferenceModule} registers the trainer
 * objective {@code dpo} and the sampler job {@code pairs}.
 */
package dev.stepwise.preference;
