package dev.stepwise.rl;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.config.UserError;
import dev.stepwise.inject.Registry;
import dev.stepwise.rl.ppo.StepPpoJob;
import dev.stepwise.rl.prm.PrmConfig;
import dev.stepwise.rl.prm.PrmReward;
import dev.stepwise.run.RunJob;
import java.util.Map;

/**
 * RL's bindings: trainer objectives {@code grpo} ({@link GrpoJob}) and {@code step_ppo} ({@link
 * StepPpoJob}) and the reward functions by
 * name ({@code answer}: {@link AnswerReward}; {@code prm}: {@link PrmReward}, from the top-level
 * {@code prm} section).
 */
public final class RlModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder.newMapBinder(binder(), String.class, RunJob.class).addBinding("grpo").to(GrpoJob.class);
    MapBinder.newMapBinder(binder(), String.class, RunJob.class).addBinding("step_ppo").to(StepPpoJob.class);
    MapBinder<String, RewardFactory> rewards = MapBinder.newMapBinder(binder(), String.class, RewardFactory.class);
    rewards.addBinding(AnswerReward.NAME).toInstance((cfg, task) -> new AnswerReward(task));
    rewards.addBinding(PrmReward.NAME).toInstance((cfg, task) -> {
      if (!cfg.config().hasPath("prm")) {
        throw new UserError("reward function prm needs a top-level prm section: prm { model_path = <reward_model dir>, reduce = min }");
      }
      return PrmReward.load(cfg.bind("prm", PrmConfig.class), task, cfg.where("prm"));
    });
  }

  @Provides
  @Singleton
  Registry<RewardFactory> rewardFunctions(Map<String, RewardFactory> m) {
    return new Registry<>("reward function", m);
  }
}
