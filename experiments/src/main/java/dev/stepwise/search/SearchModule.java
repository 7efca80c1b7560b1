package dev.stepwise.search;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.inject.SamplerJobs;
import dev.stepwise.run.RunJob;
import dev.stepwise.search.omega.OmegaPrmJob;

/**
 * Search as components: the sampler jobs {@code beam} ({@link BeamJob}), {@code mcts} ({@link
 * MctsJob}) and {@code omegaprm} ({@link OmegaPrmJob}). Installed from {@code ExperimentsModule}.
 */
public final class SearchModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, RunJob> jobs = MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class);
    jobs.addBinding("beam").to(BeamJob.class);
    jobs.addBinding("mcts").to(MctsJob.class);
    jobs.addBinding("omegaprm").to(OmegaPrmJob.class);
  }
}
