package dev.stepwise.task;

import java.nio.file.Path;

/**
 * Where the shared data lives: the configured {@code data_dir}, else {@code $STEPWISE_DATA},
 * else {@code ../shared/data}, with a description of which one was used (for error messages).
 *
 * @param path the directory
 * @param source "task.data_dir", "the STEPWISE_DATA environment variable" or "the default"
 */
record DataDir(Path path, String source) {
  static DataDir resolve(String configured) {
    if (configured != null && !configured.isBlank()) {
      return new DataDir(Path.of(configured), "task.data_dir");
    }
    String env = System.getenv(Gsm8kTask.DATA_ENV);
    if (env != null && !env.isBlank()) {
      return new DataDir(Path.of(env), "the " + Gsm8kTask.DATA_ENV + " environment variable");
    }
    return new DataDir(Path.of(Gsm8kTask.DEFAULT_DATA_DIR), "the default");
  }
}
