package dev.stepwise.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command-line options shared by every entry point (picocli model). */
@Command(description = "Composes a config from HOCON files and command-line overrides, then runs the job.",
    sortOptions = false)
final class CliOptions {
  @Option(names = {"-cp", "--config-path"}, paramLabel = "DIR",
      description = "Directory of the primary config (default: conf).")
  String configPath = "conf";

  @Option(names = {"-cn", "--config-name"}, paramLabel = "NAME",
      description = "Primary config name, with or without .conf.")
  String configName;

  @Option(names = "--config-root", paramLabel = "DIR",
      description = "Conf root holding config.conf and the config groups (default: nearest ancestor of the config path with config.conf).")
  String configRoot;

  @Option(names = {"-cd", "--config-dir"}, paramLabel = "DIR",
      description = "Extra config directory searched for group options before the conf root (repeatable).")
  List<String> configDirs = new ArrayList<>();

  @Option(names = "--cfg", paramLabel = "job|all",
      description = "Print the composed config (job) or it plus the group choices (all), then exit.")
  String cfg;

  @Option(names = "--resolve", description = "With --cfg: resolve $${...} interpolations before printing.")
  boolean resolve;

  @Option(names = "--origins",
      description = "Print every value of the composed config with the file and line (or override) it came from, then exit.")
  boolean origins;

  @Option(names = "--info", paramLabel = "defaults|config-groups|searchpath",
      description = "Print the final defaults list, the config groups with their options, or the search path, then exit.")
  String info;

  @Option(names = {"-m", "--multirun"},
      description = "Run a sweep: a=1,2,3, range(0,1,0.5), choice(x,y), glob(*), zip(...); one job per combination.")
  boolean multirun;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "Re-run the jobs of the sweep in DIR that did not finish.")
  String resume;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and the config groups, then exit.")
  boolean help;

  @Parameters(paramLabel = "OVERRIDE",
      description = "key=value, +key=value, ++key=value, ~key, group=option, +group=option.")
  List<String> overrides = new ArrayList<>();
}
