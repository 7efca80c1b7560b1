package dev.stepwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.util.List;

/**
 * Applies value overrides ({@code key=value}, {@code +key=value}, {@code ++key=value},
 * {@code ~key}) to a composed, still unresolved config, in order.
 *
 * <p>Setting an object over an object merges them (Hydra's merge-on-update); anything else
 * replaces the old value. Values keep the origin {@code command line override 'TEXT'}.
 * Substitutions in values stay unresolved until the final resolution.
 */
final class OverrideApplier {
  private OverrideApplier() {}

  /**
   * @param config the merged config, unresolved
   * @param overrides overrides whose key is not a config group
   * @return the config with every override applied
   * @throws UserError for a missing key ({@code key=}, {@code ~key}), an existing key
   *     ({@code +key=}) or a value mismatch ({@code ~key=value}), with did-you-mean and origins
   */
  static Config apply(Config config, List<ConfigOverride> overrides) {
    Config c = config;
    for (ConfigOverride o : overrides) c = applyOne(c, o);
    return c;
  }

  private static Config applyOne(Config c, ConfigOverride o) {
    List<Object> segs = ConfigPaths.split(o.key());
    String path = ConfigPaths.hoconPath(segs);
    boolean exists = ConfigPaths.exists(c.root(), segs);
    switch (o.kind()) {
      case SET -> {
        if (!exists) {
          throw new UserError("Could not override '" + o.key() + "': no such key." + hint(c, o.key())
              + " To add it use +" + o.text());
        }
        return set(c, segs, path, toValue(o));
      }
      case ADD -> {
        if (exists) {
          throw new UserError("Could not add '" + o.text() + "': key '" + o.key() + "' already exists ("
              + Origins.where(c, o.key()) + "). Drop the '+' to override it (" + o.text().substring(1)
              + ") or use '++' to set it either way (+" + o.text() + ")");
        }
        return set(c, segs, path, toValue(o));
      }
      case FORCE_ADD -> {
        return set(c, segs, path, toValue(o));
      }
      case DELETE -> {
        if (!exists) throw new UserError("Could not delete '" + o.text() + "': no such key." + hint(c, o.key()));
        if (o.value() != null) {
          ConfigValue now = ConfigPaths.get(c.root(), segs);
          ConfigValue want = toValue(o);
          if (!now.render().equals(want.render())) {
            throw new UserError("Could not delete '" + o.text() + "': its value is " + now.render()
                + " (" + Origins.where(c, o.key()) + ")");
          }
        }
        return c.withoutPath(path);
      }
      default -> throw new IllegalStateException(o.kind().toString());
    }
  }

  private static Config set(Config c, List<Object> segs, String path, ConfigValue value) {
    for (int n = 1; n < segs.size(); n++) {
      ConfigValue parent = ConfigPaths.deepestExisting(c.root(), segs.subList(0, n));
      if (parent instanceof ConfigObject) continue;
      String type = typeOf(parent);
      if (type != null) {
        String p = ConfigPaths.render(segs.subList(0, n));
        throw new UserError("Could not set '" + ConfigPaths.render(segs) + "': '" + p + "' is a " + type + " "
            + parent.render() + " (" + Origins.where(parent) + "), not an object");
      }
    }
    ConfigValue old;
    try {
      old = ConfigPaths.get(c.root(), segs);
    } catch (ConfigException.NotResolved e) {
      old = null;
    }
    ConfigValue merged = old instanceof ConfigObject && value instanceof ConfigObject ? value.withFallback(old) : value;
    try {
      return c.withValue(path, merged);
    } catch (ConfigException.NotResolved e) {
      throw new UserError("Could not set '" + ConfigPaths.render(segs) + "': its parent is an unresolved merge", e);
    }
  }

  /** @return the value's type name, or null while it is an unresolved substitution */
  private static String typeOf(ConfigValue v) {
    try {
      return v.valueType().name().toLowerCase(java.util.Locale.ROOT);
    } catch (ConfigException.NotResolved e) {
      return null;
    }
  }

  /** @return the override's value as a Typesafe value with the override's origin */
  static ConfigValue toValue(ConfigOverride o) {
    ConfigParseOptions opts = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
        .setOriginDescription(o.description());
    return ConfigFactory.parseString("v = " + o.value().toHocon(), opts).root().get("v");
  }

  private static String hint(Config c, String key) {
    return DidYouMean.hint(key, ConfigPaths.allKeys(c.root()));
  }
}
