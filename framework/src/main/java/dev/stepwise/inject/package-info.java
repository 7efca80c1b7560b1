/**
 * Dependency injection: Guice modules and the named-component {@link
 * dev.stepwise.inject.Registry registries} (model families, trackers; tasks and training jobs
 * come from the experiments module). A config selects a component by name, never by Java class,
 * so a config cannot run arbitrary code and an unknown name lists the available ones.
 */
package dev.stepwise.inject;
