package dev.stepwise.reward;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.inject.SamplerJobs;
import dev.stepwise.reward.bestofn.BestOfNJob;
import dev.stepwise.reward.predict.PredictJob;
import dev.stepwise.run.RunJob;

/**
 * Reward models as components: trainer objectives {@code orm} and {@code prm} ({@link
 * RewardJob}), sampler jobs {@code predict} ({@link PredictJob}) and {@code best_of_n} ({@link
 * BestOfNJob}). GSM8K's real model solutions become sample files through the synthesis side's
 * {@code gsm8k_solutions} job.
 */
public final class RewardModule extends AbstractModule {
  @Override
  protected void configure() {
    MapBinder<String, RunJob> objectives = MapBinder.newMapBinder(binder(), String.class, RunJob.class);
    objectives.addBinding("orm").to(RewardJob.class);
    objectives.addBinding("prm").to(RewardJob.class);
    MapBinder<String, RunJob> jobs = MapBinder.newMapBinder(binder(), String.class, RunJob.class, SamplerJobs.class);
    jobs.addBinding("predict").to(PredictJob.class);
    jobs.addBinding("best_of_n").to(BestOfNJob.class);
  }
}
