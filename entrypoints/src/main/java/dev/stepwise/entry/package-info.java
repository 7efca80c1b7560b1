/** Thin mains: {@code trainer.jar} and {@code sampler.jar}. */
package dev.stepwise.entry;
