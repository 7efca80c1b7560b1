/**
 * Outcome and process reward models (Cobbe et al. 2021; Jiao et al. 2024; OmegaPRM): the
 * training job for the objectives {@code orm} and {@code prm}, its config and data sets, and the
 * Guice module that registers them with the prediction and best-of-N sampler jobs. Process-reward
 * synthesis (states, rollouts) lives in the trajectory packages.
 */
package dev.stepwise.reward;
