package dev.stepwise.cli;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.Composer;
import dev.stepwise.config.Composition;
import dev.stepwise.config.ConfRoot;
import dev.stepwise.config.ConfigRenderer;
import dev.stepwise.config.ConfigSource;
import dev.stepwise.config.DidYouMean;
import dev.stepwise.config.OverrideParser;
import dev.stepwise.config.UserError;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * The command line of every entry point: {@code System.exit(Cli.run("trainer", args, job))}.
 *
 * <p>Parses {@code -cp/-cn/--config-root/--cfg/--resolve/--info/-h} and the positional overrides,
 * composes the config, then prints it ({@code --cfg job|all}, {@code --info defaults}) or runs
 * the job. Exit codes: 0 success; 2 user error ({@link UserError} or a bad option), printed as
 * one line {@code Error: <message>} on stderr without a stack trace unless
 * {@code STEPWISE_FULL_ERROR=1}; 128 + the signal's number (143 SIGTERM, 130 SIGINT) when the
 * job stopped on a stop signal ({@link dev.stepwise.run.StopRequested}), printed as one line
 * {@code Stopped: <message>}; 1 any other exception, printed with its stack trace.
 */
public final class Cli {
  /** Environment variable that adds stack traces to user errors when set to {@code 1}. */
  public static final String FULL_ERROR_ENV = "STEPWISE_FULL_ERROR";
  private static final List<String> CFG_MODES = List.of("job", "all");
  private static final List<String> INFO_MODES = List.of("defaults", "config-groups", "searchpath");

  private Cli() {}

  /** @return {@link #run(String, String[], Job, CliIo)} with the process's streams and env */
  public static int run(String app, String[] args, Job job) {
    return run(app, args, job, CliIo.system());
  }

  /**
   * @param app the command name shown in the help, e.g. {@code trainer}
   * @param args the command-line arguments
   * @param job what to run with the composed config
   * @param io streams, environment and working directory
   * @return the exit code: 0, 1 (bug), 2 (user error) or 128 + signal (stopped on a signal)
   */
  public static int run(String app, String[] args, Job job, CliIo io) {
    return run(app, args, job, io, null);
  }

  /**
   * {@link #run(String, String[], Job, CliIo)} naming the entry point's main class, which child
   * JVMs of the {@code local} and {@code slurm} launchers and {@code rerun.sh} start.
   *
   * @param main the main class, or null to take it from {@code sun.java.command}
   */
  public static int run(String app, String[] args, Job job, CliIo io, Class<?> main) {
    try {
      CliOptions opts = FastArgs.parse(args).orElse(null);
      if (opts == null) {
        opts = new CliOptions();
        CommandLine cl = new CommandLine(opts).setCommandName(app).setExpandAtFiles(false);
        cl.parseArgs(args);
        if (cl.isUsageHelpRequested()) {
          io.out().print(CliHelp.text(cl, confRootFor(opts, io)));
          return 0;
        }
      }
      return execute(app, args, opts, job, io, main);
    } catch (UserError | CommandLine.ParameterException e) {
      io.err().println("Error: " + e.getMessage());
      if ("1".equals(io.env().get(FULL_ERROR_ENV))) e.printStackTrace(io.err());
      return 2;
    } catch (Exception e) {
      dev.stepwise.run.StopRequested stop = dev.stepwise.run.StopRequested.in(e);
      if (stop != null) {
        io.err().println("Stopped: " + stop.getMessage());
        return stop.exitCode();
      }
      e.printStackTrace(io.err());
      return 1;
    }
  }

  private static int execute(String app, String[] args, CliOptions opts, Job job, CliIo io, Class<?> main)
      throws Exception {
    if (opts.resume != null || opts.multirun) return CliMultirun.run(app, opts, job, io, main);
    String cfg = mode("--cfg", opts.cfg, CFG_MODES);
    String info = mode("--info", opts.info, INFO_MODES);
    Path configPath = io.cwd().resolve(opts.configPath);
    Path root = opts.configRoot == null ? null : io.cwd().resolve(opts.configRoot);
    List<Path> dirs = opts.configDirs.stream().map(io.cwd()::resolve).toList();
    ConfigSource source = ConfigSource.locate(configPath, opts.configName, root, dirs);
    if ("config-groups".equals(info)) {
      io.out().print(CliInfo.groups(source.confRoot()));
      return 0;
    }
    if ("searchpath".equals(info)) {
      io.out().print(CliInfo.searchPath(source.confRoot()));
      return 0;
    }
    Composition composition = Composer.compose(source, OverrideParser.parseAll(opts.overrides));
    if (info != null) {
      io.out().print(ConfigRenderer.defaultsTable(composition.defaults()));
      return 0;
    }
    if (opts.origins) {
      var config = opts.resolve ? composition.resolve(io.env()).config() : composition.config();
      io.out().print(ConfigRenderer.origins(config, composition.config()));
      return 0;
    }
    if (cfg != null) {
      var config = opts.resolve ? composition.resolve(io.env()).config() : composition.config();
      io.out().println("all".equals(cfg) ? ConfigRenderer.all(config, composition) : ConfigRenderer.hocon(config));
      return 0;
    }
    List<String> program = dev.stepwise.launch.JvmCommand.startedAs(main);
    ComposedConfig composed = composition.resolve(io.env()).withCommandLine(program, List.of(args));
    job.run(composed);
    return 0;
  }

  private static String mode(String option, String value, List<String> valid) {
    if (value == null) return null;
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (!valid.contains(v)) {
      throw new UserError("Unknown " + option + " value '" + value + "'." + DidYouMean.hint(v, valid)
          + " Valid: " + String.join(", ", valid));
    }
    return v;
  }

  private static ConfRoot confRootFor(CliOptions opts, CliIo io) {
    try {
      if (opts.configRoot != null) return ConfRoot.of(io.cwd().resolve(opts.configRoot));
      return ConfRoot.find(io.cwd().resolve(opts.configPath));
    } catch (UserError e) {
      return null;
    }
  }
}
