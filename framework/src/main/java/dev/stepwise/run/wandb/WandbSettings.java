package dev.stepwise.run.wandb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import dev.stepwise.config.Origins;
import dev.stepwise.config.UserError;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code tracker.wandb} settings ({@code conf/tracker/wandb.conf}), named as {@code
 * wandb.init} names them.
 *
 * @param project project name; never blank
 * @param entity team or user; null: the default entity of whoever runs {@code wandb sync}
 * @param name the run's display name; null: W&amp;B picks one
 * @param group run group (e.g. one per sweep); may be null
 * @param tags tags; may be empty
 * @param notes free text; may be null
 * @param dir the folder that gets the {@code wandb/} folder; null: the run directory
 */
public record WandbSettings(
    String project, String entity, String name, String group, List<String> tags, String notes, String dir) {
  /** The config path of these settings. */
  public static final String PATH = "tracker.wandb";

  private static final Set<String> KEYS = Set.of("project", "entity", "name", "group", "tags", "notes", "dir");

  /** @return the defaults of {@code conf/tracker/wandb.conf}: project {@code stepwise}, the rest unset */
  public static WandbSettings defaults() {
    return new WandbSettings("stepwise", null, null, null, List.of(), null, null);
  }

  /**
   * Reads {@code tracker.wandb} from the composed config; when it is absent (e.g. {@code tracker}
   * is a plain list of names) the {@link #defaults()} are used.
   *
   * @param c the resolved config
   * @return the settings
   * @throws UserError for an unknown key under {@code tracker.wandb}, a mistyped value or a blank
   *     project, naming the file and line
   */
  public static WandbSettings from(Config c) {
    if (!c.hasPathOrNull(PATH) || c.getIsNull(PATH) || c.getValue(PATH).valueType() != ConfigValueType.OBJECT) {
      return defaults();
    }
    Config w = c.getConfig(PATH);
    for (String k : w.root().keySet()) {
      if (!KEYS.contains(k)) {
        throw new UserError("Unknown key '" + PATH + "." + k + "' (" + Origins.where(c, PATH + "." + k)
            + "); the W&B tracker takes " + new TreeSet<>(KEYS));
      }
    }
    WandbSettings d = defaults();
    try {
      String project = str(w, "project", d.project());
      if (project == null || project.isBlank()) {
        throw new UserError("'" + PATH + ".project' must name a W&B project (" + Origins.where(c, PATH + ".project") + ")");
      }
      List<String> tags = w.hasPath("tags") ? List.copyOf(w.getStringList("tags")) : List.of();
      return new WandbSettings(project, str(w, "entity", null), str(w, "name", null), str(w, "group", null),
          tags, str(w, "notes", null), str(w, "dir", null));
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw new UserError("Wrong type under '" + PATH + "': " + e.getMessage(), e);
    }
  }

  private static String str(Config w, String key, String dflt) {
    if (!w.hasPathOrNull(key)) {
      return dflt;
    }
    return w.getIsNull(key) ? null : w.getString(key);
  }
}
