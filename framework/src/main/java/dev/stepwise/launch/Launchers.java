package dev.stepwise.launch;

import dev.stepwise.config.ComposedConfig;
import dev.stepwise.config.DidYouMean;
import dev.stepwise.config.UserError;
import java.util.List;

/**
 * The {@code launcher} registry: the option chosen in config group {@code launcher}
 * ({@code serial} when the group is absent) and its settings bound strictly from
 * {@code launcher.*} (an unknown key is an error with did-you-mean).
 */
public final class Launchers {
  /** Every launcher name. */
  public static final List<String> NAMES = List.of("serial", "local", "slurm");

  private Launchers() {}

  /** @return the launcher's name from the config's {@code launcher} group choice */
  public static String name(ComposedConfig config) {
    List<String> chosen = config.choiceList("launcher");
    if (chosen.size() > 1) throw new UserError("Choose one launcher, not " + chosen + " (launcher=serial|local|slurm)");
    return chosen.isEmpty() ? "serial" : chosen.get(0);
  }

  /**
   * Checks the framework's sweep sections of any run (also when it is not a sweep), so that a
   * typo under {@code launcher.*} or {@code sweep.*} is never accepted silently.
   *
   * @param config the composed config
   * @throws UserError for an unknown launcher, an unknown or mistyped key
   */
  public static void validate(ComposedConfig config) {
    String name = name(config);
    if (!NAMES.contains(name)) {
      throw new UserError("Unknown launcher '" + name + "'." + DidYouMean.hint(name, NAMES) + " Available: "
          + String.join(", ", NAMES));
    }
    // A config composed without the launcher group (a run directory's resolved config.conf, as
    // rerun.sh uses) does not say which launcher its section belongs to; it was checked when composed.
    boolean chosen = config.choices().containsKey("launcher");
    if (chosen && config.config().hasPath("launcher")) config.bind("launcher", settingsType(name));
    if (config.config().hasPath("sweep")) config.bind("sweep", SweepSettings.class);
  }

  private static Class<?> settingsType(String name) {
    return switch (name) {
      case "local" -> LocalLauncher.Settings.class;
      case "slurm" -> SlurmLauncher.Settings.class;
      default -> SerialLauncher.Settings.class;
    };
  }

  /**
   * @param name {@code serial}, {@code local} or {@code slurm}
   * @param ctx the sweep's context; its config's {@code launcher.*} holds the settings
   * @return the launcher
   * @throws UserError for an unknown name or bad settings
   */
  public static Launcher create(String name, LaunchContext ctx) {
    ComposedConfig c = ctx.config();
    boolean has = c.config().hasPath("launcher");
    return switch (name) {
      case "serial" -> {
        if (has && c.choices().containsKey("launcher")) c.bind("launcher", SerialLauncher.Settings.class);
        yield new SerialLauncher(ctx);
      }
      case "local" -> new LocalLauncher(c.bind("launcher", LocalLauncher.Settings.class), ctx);
      case "slurm" -> new SlurmLauncher(c.bind("launcher", SlurmLauncher.Settings.class), ctx);
      default -> throw new UserError("Unknown launcher '" + name + "'." + DidYouMean.hint(name, NAMES)
          + " Available: " + String.join(", ", NAMES));
    };
  }
}
