package dev.stepwise.cli;

import dev.stepwise.config.ConfigSource;
import dev.stepwise.launch.JvmCommand;
import dev.stepwise.launch.Multirun;
import dev.stepwise.launch.MultirunDir;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code -m}/{@code --multirun} and {@code --resume DIR} of {@link Cli}: turns the options into a
 * {@link Multirun.Request}. Every job gets the same config options as absolute paths
 * ({@code -cp}, {@code -cn}, {@code --config-root}, {@code -cd}); {@code --resume} takes them
 * from the sweep's {@code multirun.conf} (overrides given with it only choose the launcher).
 */
final class CliMultirun {
  private CliMultirun() {}

  static int run(String app, CliOptions opts, Job job, CliIo io, Class<?> main) throws Exception {
    Path resume = opts.resume == null ? null : io.cwd().resolve(opts.resume);
    List<String> baseArgs;
    CliOptions o = opts;
    if (resume != null) {
      baseArgs = MultirunDir.open(resume).manifest().getStringList("base_args");
      o = new CliOptions();
      new CommandLine(o).setExpandAtFiles(false).parseArgs(baseArgs.toArray(String[]::new));
      o.overrides = opts.overrides;
    } else {
      baseArgs = baseArgs(opts, io);
    }
    Path configPath = io.cwd().resolve(o.configPath);
    Path root = o.configRoot == null ? null : io.cwd().resolve(o.configRoot);
    List<Path> dirs = o.configDirs.stream().map(io.cwd()::resolve).toList();
    ConfigSource source = ConfigSource.locate(configPath, o.configName, root, dirs);
    JvmCommand jvm = main == null ? JvmCommand.current() : JvmCommand.current(main);
    return Multirun.run(new Multirun.Request(source, baseArgs, o.overrides, io.env(), io.cwd(), jvm,
        (args, log) -> inProcess(app, args, job, io, main, log), io.out(), io.err(), resume));
  }

  private static List<String> baseArgs(CliOptions opts, CliIo io) {
    List<String> a = new ArrayList<>(List.of("-cp", io.cwd().resolve(opts.configPath).normalize().toString()));
    if (opts.configName != null) a.addAll(List.of("-cn", opts.configName));
    if (opts.configRoot != null) a.addAll(List.of("--config-root", io.cwd().resolve(opts.configRoot).normalize().toString()));
    for (String d : opts.configDirs) a.addAll(List.of("-cd", io.cwd().resolve(d).normalize().toString()));
    return a;
  }

  private static int inProcess(String app, List<String> args, Job job, CliIo io, Class<?> main, Path log) {
    try {
      Files.createDirectories(log.getParent());
      try (PrintStream err = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
        CliIo jobIo = new CliIo(io.out(), err, io.env(), io.cwd());
        return Cli.run(app, args.toArray(String[]::new), job, jobIo, main);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
