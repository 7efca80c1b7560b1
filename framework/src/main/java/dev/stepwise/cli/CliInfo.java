package dev.stepwise.cli;

import dev.stepwise.config.ConfRoot;
import dev.stepwise.config.Origins;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Text of {@code --info config-groups} and {@code --info searchpath}. */
final class CliInfo {
  private CliInfo() {}

  /** @return one line per config group: {@code group: option1, option2}, sorted by group */
  static String groups(ConfRoot root) {
    StringBuilder sb = new StringBuilder("Config groups\n*************\n");
    for (Map.Entry<String, List<String>> g : root.groups().entrySet()) {
      sb.append(g.getKey()).append(": ").append(String.join(", ", g.getValue())).append('\n');
    }
    return sb.toString();
  }

  /** @return the search-path directories in search order, relative to the working directory when below it */
  static String searchPath(ConfRoot root) {
    StringBuilder sb = new StringBuilder("Config search path\n******************\n");
    for (Path d : root.dirs()) {
      sb.append(Origins.relative(d.toString())).append(d.equals(root.dir()) ? "  (conf root)" : "").append('\n');
    }
    return sb.toString();
  }
}
