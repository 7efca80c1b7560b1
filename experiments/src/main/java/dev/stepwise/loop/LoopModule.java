package dev.stepwise.loop;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.inject.SamplerJobs;
import dev.stepwise.run.RunJob;

/** Registers the sampler job {@code loop} ({@link LoopJob}). */
public final class LoopModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class).addBinding("loop").to(LoopJob.class);
  }
}
