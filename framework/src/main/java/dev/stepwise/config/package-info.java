/**
 * Hydra-like configuration core on HOCON files (Typesafe Config): locating the conf root and
 * primary config ({@link dev.stepwise.config.ConfigSource}), defaults lists and config groups
 * ({@link dev.stepwise.config.DefaultsListParser}, {@code DefaultsBuilder}), the command-line
 * override grammar ({@link dev.stepwise.config.OverrideParser},
 * {@link dev.stepwise.config.ValueParser}), composition
 * ({@link dev.stepwise.config.Composer}), one final resolution of {@code ${...}}
 * ({@link dev.stepwise.config.Resolver}), origins ({@link dev.stepwise.config.Origins}), strict
 * typed binding to records ({@link dev.stepwise.config.ConfigBinder}) and user-facing errors
 * ({@link dev.stepwise.config.UserError}, {@link dev.stepwise.config.DidYouMean}). See
 * {@code docs/config.md}.
 */
package dev.stepwise.config;
