package dev.stepwise.cli;

import dev.stepwise.config.ConfRoot;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The {@code --help} text: picocli's usage, then the config groups and their options. */
final class CliHelp {
  private CliHelp() {}

  /**
   * @param cl the parsed command line
   * @param root the conf root, or null when none was found
   * @return the usage followed by "Config groups" with every group and its options
   */
  static String text(CommandLine cl, ConfRoot root) {
    StringBuilder sb = new StringBuilder(cl.getUsageMessage());
    if (root == null) {
      sb.append("\nNo conf root found (no config.conf above the config path); use -cp DIR or --config-root DIR.\n");
      return sb.toString();
    }
    sb.append("\nConfig groups (conf root ").append(root.dir()).append("):\n");
    for (Map.Entry<String, List<String>> g : root.groups().entrySet()) {
      sb.append("  ").append(g.getKey()).append(": ").append(String.join(", ", g.getValue())).append('\n');
    }
    sb.append("\nOverride syntax: key=value, +key=value (add), ++key=value (add or set), ~key[=value] (delete),\n")
        .append("group=option (swap), group=[a,b] (several options), +group=option (add), ~group (remove),\n")
        .append("group@pkg=option, +experiment=NAME. Values: 'quoted', [lists], {maps}, null, ${interpolations}.\n")
        .append("Sweeps with -m: a=1,2  range(0,1,0.5)  choice(x,y)  glob(gpt2_*)  zip(...); launcher=serial|local|slurm.\n")
        .append("See docs/config.md.\n");
    return sb.toString();
  }
}
