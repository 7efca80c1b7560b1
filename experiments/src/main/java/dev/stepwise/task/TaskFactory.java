package dev.stepwise.task;

import dev.stepwise.config.ComposedConfig;

/** Builds a {@link Task} from the {@code task} config section; registered by task name. */
@FunctionalInterface
public interface TaskFactory {
  /**
   * @param config the composed config; the factory binds {@code task} (without its {@code name})
   * @throws dev.stepwise.config.UserError on bad task settings
   */
  Task create(ComposedConfig config);

  /** @return the {@code task} section bound to {@code type}, the {@code name} key excluded */
  static <T> T bindTask(ComposedConfig config, Class<T> type) {
    return dev.stepwise.config.ConfigBinder.bind(config.config().withoutPath("task.name"), "task", type);
  }

  /**
   * The task named by the config's {@code task.name}, built from its {@code task} section: what
   * every job does first.
   *
   * @throws dev.stepwise.config.UserError for an unknown task name (with the available ones and
   *     the file:line of {@code task.name}) or bad task settings
   */
  static Task fromConfig(dev.stepwise.inject.Registry<TaskFactory> tasks, ComposedConfig config) {
    var c = config.config();
    return tasks.get(c.getString("task.name"), dev.stepwise.config.Origins.where(c, "task.name")).create(config);
  }
}
