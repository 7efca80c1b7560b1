package dev.stepwise.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.stepwise.config.ComposedConfig;
import dev.stepwise.model.Gpt2Family;
import dev.stepwise.model.ModelFamily;
import dev.stepwise.run.ConsoleTracker;
import dev.stepwise.run.JsonlTracker;
import dev.stepwise.run.wandb.WandbTracker;
import java.util.Map;

/**
 * Binds the composed config and the framework's registries: model families ({@code gpt2}, {@code llama}) and
 * trackers ({@code console}, {@code jsonl}, {@code wandb}). Experiment modules add tasks and jobs.
 */
public final class FrameworkModule extends AbstractModule {
  private final ComposedConfig config;

  /** @param config the composed, resolved config of this run */
  public FrameworkModule(ComposedConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(ComposedConfig.class).toInstance(config);
    MapBinder<String, ModelFamily> families = MapBinder.newMapBinder(binder(), String.class, ModelFamily.class);
    families.addBinding("gpt2").to(Gpt2Family.class);
    families.addBinding("llama").to(dev.stepwise.model.llama.LlamaFamily.class);
    MapBinder<String, TrackerFactory> trackers = MapBinder.newMapBinder(binder(), String.class, TrackerFactory.class);
    trackers.addBinding("console").toInstance(run -> new ConsoleTracker());
    trackers.addBinding("jsonl").toInstance(run -> new JsonlTracker(run.metrics()));
    trackers.addBinding("wandb").toInstance(run -> WandbTracker.open(run.path(), config.config()));
  }

  @Provides
  @Singleton
  Registry<ModelFamily> modelFamilies(Map<String, ModelFamily> m) {
    return new Registry<>("model family", m);
  }

  @Provides
  @Singleton
  Registry<TrackerFactory> trackers(Map<String, TrackerFactory> m) {
    return new Registry<>("tracker", m);
  }
}
