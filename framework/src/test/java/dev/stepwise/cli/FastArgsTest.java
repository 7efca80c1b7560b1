package dev.stepwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The picocli fast path parses exactly like picocli, and hands everything else to it. */
class FastArgsTest {
  private static String describe(CliOptions o) {
    return String.join("|", o.configPath, String.valueOf(o.configName), String.valueOf(o.configRoot),
        o.configDirs.toString(), String.valueOf(o.cfg), String.valueOf(o.resolve), String.valueOf(o.origins),
        String.valueOf(o.info), String.valueOf(o.multirun), String.valueOf(o.resume), o.overrides.toString());
  }

  private static String picocli(String... args) {
    CliOptions o = new CliOptions();
    new CommandLine(o).setExpandAtFiles(false).parseArgs(args);
    return describe(o);
  }

  @Test
  void agreesWithPicocli() {
    List<String[]> lines = List.of(
        new String[] {},
        new String[] {"-cp", "conf/exp", "-cn", "tiny", "a=1", "+b=2", "~c", "++d=[1,2]"},
        new String[] {"--config-path=conf", "--config-name=x.conf", "--cfg", "job", "--resolve"},
        new String[] {"--config-root", "/r", "-cd", "a", "--config-dir", "b", "--origins", "x=http://h:1/v"},
        new String[] {"--info", "config-groups"},
        new String[] {"-m", "a=1,2", "b=range(0,1,0.5)"},
        new String[] {"--resume", "multirun/x/1", "launcher.n_jobs=3"},
        new String[] {"x=--y", "name=a b", "--cfg=all"});
    for (String[] a : lines) {
      CliOptions fast = FastArgs.parse(a).orElseThrow(() -> new AssertionError(String.join(" ", a)));
      assertEquals(picocli(a), describe(fast), String.join(" ", a));
    }
  }

  @Test
  void leavesHelpUnknownOptionsAndMissingValuesToPicocli() {
    for (String[] a : List.<String[]>of(new String[] {"-h"}, new String[] {"--help"}, new String[] {"--cfgg", "job"},
        new String[] {"-cn"}, new String[] {"-x"}, new String[] {"--resolve=true"}, new String[] {"-cn", "a", "-cn", "b"},
        new String[] {"--", "a=1"}, new String[] {"-m", "--multirun"}, new String[] {"--resolve", "--resolve"})) {
      assertTrue(FastArgs.parse(a).isEmpty(), String.join(" ", a));
    }
  }
}
