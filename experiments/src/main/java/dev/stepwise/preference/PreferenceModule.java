package dev.stepwise.preference;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.inject.Registry;
import dev.stepwise.inject.SamplerJobs;
import dev.stepwise.preference.dpo.DpoJob;
import dev.stepwise.preference.pairs.BestOfPairs;
import dev.stepwise.preference.pairs.FirstPitPairs;
import dev.stepwise.preference.pairs.LabelledSolutionsPairs;
import dev.stepwise.preference.pairs.OutcomePairs;
import dev.stepwise.preference.pairs.PairBuilder;
import dev.stepwise.preference.pairs.PairsJob;
import dev.stepwise.preference.pairs.StepPairs;
import dev.stepwise.run.RunJob;
import java.util.Map;

/**
 * Preference optimisation's components: the trainer objective {@code dpo} ({@link DpoJob}), the
 * sampler job {@code pairs} ({@link PairsJob}) and the pair builders it selects by {@code
 * pairs.builder} ({@code outcome}, {@code labelled_solutions}, {@code best_of}, {@code first_pit}
 * (Self-Explore's pits, {@link FirstPitPairs}), {@code step} (step-level pairs from MC values,
 * {@link StepPairs})). Other modules add builders with {@code MapBinder.newMapBinder(binder(),
 * String.class, PairBuilder.class)}.
 */
public final class PreferenceModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, RunJob.class).addBinding("dpo").to(DpoJob.class);
    MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class)
        .addBinding("pairs").to(PairsJob.class);
    MapBinder<String, PairBuilder> builders = MapBinder.newMapBinder(binder(), String.class, PairBuilder.class);
    builders.addBinding(OutcomePairs.NAME).to(OutcomePairs.class);
    builders.addBinding(LabelledSolutionsPairs.NAME).to(LabelledSolutionsPairs.class);
    builders.addBinding(BestOfPairs.NAME).to(BestOfPairs.class);
    builders.addBinding(FirstPitPairs.NAME).to(FirstPitPairs.class);
    builders.addBinding(StepPairs.NAME).to(StepPairs.class);
  }

  @Provides
  @Singleton
  Registry<PairBuilder> pairBuilders(Map<String, PairBuilder> m) {
    return new Registry<>("pair builder", m);
  }
}
