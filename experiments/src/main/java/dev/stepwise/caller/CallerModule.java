package dev.stepwise.caller;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.inject.Registry;
import dev.stepwise.inject.SamplerJobs;
import dev.stepwise.run.RunJob;
import java.util.Map;

/**
 * Registers the API jobs: {@code sample}, {@code judge} and {@code rollouts} for {@code api-caller.jar} (keyed by
 * {@code job} in the {@link CallerJobs} registry) and {@code serve} for {@code sampler.jar} (in
 * the {@link SamplerJobs} registry).
 */
public final class CallerModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, RunJob> caller = MapBinder.newMapBinder(binder(), String.class, RunJob.class, CallerJobs.class);
    caller.addBinding("sample").to(ApiSampleJob.class);
    caller.addBinding("judge").to(JudgeJob.class);
    caller.addBinding("rollouts").to(ApiRolloutsJob.class);
    MapBinder<String, RunJob> sampler = MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class);
    sampler.addBinding("serve").to(ServeJob.class);
  }

  @Provides
  @Singleton
  @CallerJobs
  Registry<RunJob> callerJobs(@CallerJobs Map<String, RunJob> m) {
    return new Registry<>("api-caller job", m);
  }
}
