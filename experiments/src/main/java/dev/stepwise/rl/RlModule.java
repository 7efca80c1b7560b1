package dev.stepwise.rl;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.inject.Registry;
import dev.stepwise.run.RunJob;
import java.util.Map;

/**
 * RL's bindings: trainer objective {@code grpo} ({@link GrpoJob}) and the reward functions by
 * name ({@code answer}: {@link AnswerReward}). A PRM module adds {@code
 * MapBinder.newMapBinder(binder(), String.class, RewardFactory.class).addBinding("prm")}.
 */
public final class RlModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, RunJob.class).addBinding("grpo").to(GrpoJob.class);
    MapBinder<String, RewardFactory> rewards = MapBinder.newMapBinder(binder(), String.class, RewardFactory.class);
    rewards.addBinding(AnswerReward.NAME).toInstance((cfg, task) -> new AnswerReward(task));
  }

  @Provides
  @Singleton
  Registry<RewardFactory> rewardFunctions(Map<String, RewardFactory> m) {
    return new Registry<>("reward function", m);
  }
}
