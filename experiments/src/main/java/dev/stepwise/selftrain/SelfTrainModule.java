package dev.stepwise.selftrain;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.preference.pairs.PairBuilder;

/**
 * Registers the self-training pair builders with {@code sampler.jar job=pairs}: {@code
 * self_rewarding} ({@link SelfRewardingPairs}) and {@code rlcd} ({@link RlcdPairs}).
 */
public final class SelfTrainModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, PairBuilder> builders = MapBinder.newMapBinder(binder(), String.class, PairBuilder.class);
    builders.addBinding(SelfRewardingPairs.NAME).to(SelfRewardingPairs.class);
    builders.addBinding(RlcdPairs.NAME).to(RlcdPairs.class);
  }
}
