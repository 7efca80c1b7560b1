package dev.stepwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text views of a composition: {@code --cfg job} (HOCON), {@code --cfg all} (plus Hydra-style
 * {@code hydra.runtime.choices} and {@code hydra.overrides.task}) and {@code --info defaults}
 * (the final defaults list as a table). Keys are printed in Typesafe's sorted order.
 */
public final class ConfigRenderer {
  private static final ConfigRenderOptions HOCON =
      ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false).setFormatted(true);

  private ConfigRenderer() {}

  /** @return {@code config} as formatted HOCON (unresolved substitutions print as {@code ${...}}) */
  public static String hocon(Config config) {
    return config.root().render(HOCON);
  }

  /**
   * @param config the job config (resolved or not)
   * @param composition where the choices and overrides come from
   * @return the job config plus {@code hydra.runtime.choices} and {@code hydra.overrides.task}
   */
  public static String all(Config config, Composition composition) {
    Map<String, Object> choices = new LinkedHashMap<>();
    composition.choices().forEach((k, v) -> choices.put(k, v == null ? "null" : v));
    List<String> task = new ArrayList<>();
    for (ConfigOverride o : composition.overrides()) task.add(o.text());
    Map<String, Object> hydra = Map.of(
        "runtime", Map.of("choices", choices, "config_name", composition.source().configName()),
        "overrides", Map.of("task", task));
    return hocon(config.withValue("hydra", ConfigValueFactory.fromMap(hydra, "composition")));
  }

  /**
   * {@code --origins}: every leaf value (lists are leaves), sorted by key, as
   * {@code key = value  # file:line} (or {@code # command line override 'k=v'}).
   *
   * @param config a composed config, resolved or not (unresolved values print as {@code ${...}})
   * @param written the unresolved config: a value is attributed to where its key was written
   *     (resolving {@code ${base}"/x"} would otherwise report where {@code base} was written)
   * @return one line per value, columns aligned
   */
  public static String origins(Config config, Config written) {
    List<String[]> rows = new ArrayList<>();
    leaves(config.root(), "", rows, written);
    int w = 0;
    for (String[] r : rows) w = Math.max(w, r[0].length());
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) sb.append(String.format("%-" + w + "s  # %s%n", r[0], r[1]));
    return sb.toString();
  }

  private static void leaves(com.typesafe.config.ConfigObject obj, String prefix, List<String[]> rows, Config written) {
    for (String k : new java.util.TreeSet<>(obj.keySet())) {
      String key = prefix.isEmpty() ? ConfigPaths.render(List.of(k)) : prefix + "." + ConfigPaths.render(List.of(k));
      com.typesafe.config.ConfigValue v = obj.get(k);
      if (v instanceof com.typesafe.config.ConfigObject o && !o.isEmpty()) {
        leaves(o, key, rows, written);
      } else {
        com.typesafe.config.ConfigValue w = ConfigPaths.deepestExisting(written.root(), ConfigPaths.split(key));
        rows.add(new String[] {key + " = " + v.render(ConfigRenderOptions.concise()), Origins.where(w != null ? w : v)});
      }
    }
  }

  /** @return the defaults list as an aligned table: config path, package, parent, file */
  public static String defaultsTable(DefaultsList defaults) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Config path", "Package", "Parent", "File"});
    for (DefaultsItem i : defaults.items()) {
      rows.add(new String[] {i.configPath(), i.pkg().isEmpty() ? "_global_" : i.pkg(),
          i.parent() == null ? "" : i.parent(), Origins.relative(i.file().toString())});
    }
    int[] w = new int[4];
    for (String[] r : rows) for (int c = 0; c < 4; c++) w[c] = Math.max(w[c], r[c].length());
    StringBuilder sb = new StringBuilder("Defaults List\n*************\n");
    for (String[] r : rows) {
      sb.append(String.format("| %-" + w[0] + "s | %-" + w[1] + "s | %-" + w[2] + "s | %-" + w[3] + "s |%n", (Object[]) r));
    }
    sb.append("\nChoices\n*******\n");
    defaults.choices().forEach((g, o) -> sb.append(g).append(": ").append(o).append('\n'));
    return sb.toString();
  }
}
