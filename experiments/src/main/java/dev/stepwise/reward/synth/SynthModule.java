package dev.stepwise.reward.synth;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.inject.SamplerJobs;
import dev.stepwise.run.RunJob;
import dev.stepwise.task.LogiQa2Config;
import dev.stepwise.task.LogiQa2Task;
import dev.stepwise.task.TaskFactory;

/**
 * Trajectory collection as named components: the sampler jobs {@code states} ({@link StatesJob})
 * {@code rollouts} ({@link RolloutsJob}) and {@code gsm8k_solutions} ({@link SolutionsJob}), and the task {@code logiqa2} ({@link LogiQa2Task})
 * whose ReAct trajectories they handle. Installed from {@code ExperimentsModule}.
 */
public final class SynthModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, TaskFactory> tasks = MapBinder.newMapBinder(binder(), String.class, TaskFactory.class);
    tasks.addBinding(LogiQa2Task.NAME).toInstance(c -> new LogiQa2Task(TaskFactory.bindTask(c, LogiQa2Config.class)));
    MapBinder<String, RunJob> jobs = MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class);
    jobs.addBinding("states").to(StatesJob.class);
    jobs.addBinding("rollouts").to(RolloutsJob.class);
    jobs.addBinding("gsm8k_solutions").to(SolutionsJob.class);
  }
}
