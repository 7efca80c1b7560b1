package dev.stepwise.cli;

import java.util.Optional;

/**
 * A fast path around picocli for the common command lines: picocli builds its model by
 * reflection over annotations and loads its help machinery, which costs more than composing the
 * config itself (about 0.2 s of a {@code --cfg job} start). This parser accepts exactly the
 * options of {@link CliOptions} ({@code -cp}, {@code --config-path}, {@code -cn},
 * {@code --config-name}, {@code --config-root}, {@code -cd}, {@code --config-dir}, {@code --cfg},
 * {@code --info}, {@code --resume} with a value, as the next word or after {@code =};
 * {@code --resolve}, {@code --origins}, {@code -m}, {@code --multirun}) and positional
 * overrides. Anything else ({@code -h}, an unknown option, a missing value, an option given twice)
 * returns empty, and
 * picocli parses the line and writes the help or the error. {@code CliTest} checks that both
 * parsers agree.
 */
final class FastArgs {
  private FastArgs() {}

  /** @return the options, or empty when picocli must handle this command line */
  static Optional<CliOptions> parse(String[] args) {
    CliOptions o = new CliOptions();
    boolean cpSet = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-")) {
        o.overrides.add(a);
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      switch (name) {
        case "--resolve", "--origins", "-m", "--multirun" -> {
          if (value != null) return Optional.empty();
          if (name.equals("--resolve")) {
            if (o.resolve) return Optional.empty();
            o.resolve = true;
          } else if (name.equals("--origins")) {
            if (o.origins) return Optional.empty();
            o.origins = true;
          } else {
            if (o.multirun) return Optional.empty();
            o.multirun = true;
          }
          continue;
        }
        default -> { }
      }
      if (value == null) {
        if (i + 1 >= args.length) return Optional.empty();
        value = args[++i];
      }
      switch (name) {
        case "-cp", "--config-path" -> {
          if (cpSet) return Optional.empty();
          cpSet = true;
          o.configPath = value;
        }
        case "-cn", "--config-name" -> {
          if (o.configName != null) return Optional.empty();
          o.configName = value;
        }
        case "--config-root" -> {
          if (o.configRoot != null) return Optional.empty();
          o.configRoot = value;
        }
        case "-cd", "--config-dir" -> o.configDirs.add(value);
        case "--cfg" -> {
          if (o.cfg != null) return Optional.empty();
          o.cfg = value;
        }
        case "--info" -> {
          if (o.info != null) return Optional.empty();
          o.info = value;
        }
        case "--resume" -> {
          if (o.resume != null) return Optional.empty();
          o.resume = value;
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(o);
  }
}
