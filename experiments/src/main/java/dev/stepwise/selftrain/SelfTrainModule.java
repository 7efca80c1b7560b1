package dev.stepwise.selftrain;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.inject.SamplerJobs;
import dev.stepwise.preference.pairs.PairBuilder;
import dev.stepwise.run.RunJob;

/**
 * Registers the self-training pair builders with {@code sampler.jar job=pairs}: {@code
 * self_rewarding} ({@link SelfRewardingPairs}) and {@code rlcd} ({@link RlcdPairs}), and the sampler job
 * {@code self_judge} ({@link SelfJudgeJob}, the judge job with the model in process).
 */
public final class SelfTrainModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, PairBuilder> builders = MapBinder.newMapBinder(binder(), String.class, PairBuilder.class);
    builders.addBinding(SelfRewardingPairs.NAME).to(SelfRewardingPairs.class);
    builders.addBinding(RlcdPairs.NAME).to(RlcdPairs.class);
    MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class).addBinding("self_judge").to(SelfJudgeJob.class);
  }
}
