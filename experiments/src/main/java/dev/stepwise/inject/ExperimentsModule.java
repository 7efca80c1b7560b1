package dev.stepwise.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.run.RunJob;
import dev.stepwise.sample.SampleJob;
import dev.stepwise.sft.SftJob;
import dev.stepwise.task.ArithConfig;
import dev.stepwise.task.ArithTask;
import dev.stepwise.task.Gsm8kConfig;
import dev.stepwise.task.Gsm8kTask;
import dev.stepwise.task.TaskFactory;
import java.util.Map;

/**
 * Registers the tasks ({@code arith}, {@code gsm8k}) and the trainer's jobs, keyed by the
 * config's {@code objective} ({@code sft}), and the sampler's jobs keyed by the config's
 * {@code job} ({@code sample}). Each later capability (reward models, preference optimisation,
 * RL, the API caller) has its own module contributing to the same {@code MapBinder}s, installed
 * from {@link #configure()}.
 */
public final class ExperimentsModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, TaskFactory> tasks = MapBinder.newMapBinder(binder(), String.class, TaskFactory.class);
    tasks.addBinding(ArithTask.NAME).toInstance(c -> new ArithTask(TaskFactory.bindTask(c, ArithConfig.class)));
    tasks.addBinding(Gsm8kTask.NAME).toInstance(c -> new Gsm8kTask(TaskFactory.bindTask(c, Gsm8kConfig.class)));
    MapBinder<String, RunJob> objectives = MapBinder.newMapBinder(binder(), String.class, RunJob.class);
    objectives.addBinding("sft").to(SftJob.class);
    MapBinder<String, RunJob> samplerJobs =
        MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class);
    samplerJobs.addBinding("sample").to(SampleJob.class);
    samplerJobs.addBinding("merge").to(dev.stepwise.merge.MergeJob.class);
    // One module per capability; each contributes to the maps above with its own MapBinder.
    install(new dev.stepwise.reward.synth.SynthModule());
    install(new dev.stepwise.reward.RewardModule());
    install(new dev.stepwise.caller.CallerModule());
    install(new dev.stepwise.preference.PreferenceModule());
    install(new dev.stepwise.rl.RlModule());
    install(new dev.stepwise.search.SearchModule());
    install(new dev.stepwise.loop.LoopModule());
    install(new dev.stepwise.selftrain.SelfTrainModule());
  }

  @Provides
  @Singleton
  Registry<TaskFactory> tasks(Map<String, TaskFactory> m) {
    return new Registry<>("task", m);
  }

  @Provides
  @Singleton
  @SamplerJobs
  Registry<RunJob> samplerJobs(@SamplerJobs Map<String, RunJob> m) {
    return new Registry<>("sampler job", m);
  }

  @Provides
  @Singleton
  Registry<RunJob> objectives(Map<String, RunJob> m) {
    return new Registry<>("objective", m);
  }
}
