package dev.stepwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves every {@code ${...}} of a composed config, once, at the very end (after composition
 * and overrides), with Typesafe Config's resolver.
 *
 * <p>A substitution that names no key falls back to the environment variable of that name
 * ({@code ${?STEPWISE_DATA}} is left out when neither exists; {@code ${X}} is an error). The
 * environment is passed in, so tests and the CLI can supply their own. A value still equal to
 * {@code "???"} (Hydra's mandatory marker) after resolution is an error naming the key and file.
 */
public final class Resolver {
  private static final Pattern SUBST = Pattern.compile("\\$\\{\\??([^}]*)\\}");

  private Resolver() {}

  /**
   * @param config the unresolved config
   * @param env the environment used for fallbacks, e.g. {@code System.getenv()}
   * @return the fully resolved config
   * @throws UserError for an unresolvable substitution (with file:line and did-you-mean) or a
   *     substitution cycle
   */
  public static Config resolve(Config config, Map<String, String> env) {
    ConfigResolveOptions opts = ConfigResolveOptions.defaults().setUseSystemEnvironment(false)
        .appendResolver(new EnvResolver(env));
    Config resolved;
    try {
      resolved = config.resolve(opts);
    } catch (ConfigException.UnresolvedSubstitution e) {
      String msg = HoconFiles.stripOrigin(e);
      Matcher m = SUBST.matcher(msg);
      String path = m.find() ? m.group(1).replace("\"", "") : "?";
      throw new UserError("Could not resolve ${" + path + "} (" + Origins.where(e.origin()) + "): no such key and no "
          + "environment variable '" + path + "'." + DidYouMean.hint(path, ConfigPaths.allKeys(config.root())), e);
    } catch (ConfigException e) {
      throw new UserError("Could not resolve the config (" + Origins.where(e.origin()) + "): " + HoconFiles.stripOrigin(e), e);
    }
    checkMandatory(resolved.root(), "");
    return resolved;
  }

  /** The value Hydra uses for "must be set": {@code "???"}. */
  public static final String MISSING = "???";

  private static void checkMandatory(com.typesafe.config.ConfigObject obj, String prefix) {
    for (Map.Entry<String, ConfigValue> e : new java.util.TreeMap<>(obj).entrySet()) {
      String key = prefix.isEmpty() ? ConfigPaths.render(java.util.List.of(e.getKey()))
          : prefix + "." + ConfigPaths.render(java.util.List.of(e.getKey()));
      ConfigValue v = e.getValue();
      if (v instanceof com.typesafe.config.ConfigObject o) {
        checkMandatory(o, key);
      } else if (MISSING.equals(v.unwrapped())) {
        throw new UserError("Missing mandatory value: " + key + " (" + Origins.where(v) + "). Set it on the command line: "
            + key + "=VALUE");
      }
    }
  }

  /** Looks unresolved substitution paths up in an environment map. */
  private record EnvResolver(Map<String, String> env) implements ConfigResolver {
    @Override
    public ConfigValue lookup(String path) {
      String v = env.get(path);
      return v == null ? null : ConfigValueFactory.fromAnyRef(v, "environment variable " + path);
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver fallback) {
      EnvResolver self = this;
      return new ConfigResolver() {
        @Override
        public ConfigValue lookup(String path) {
          ConfigValue v = self.lookup(path);
          return v != null ? v : fallback.lookup(path);
        }

        @Override
        public ConfigResolver withFallback(ConfigResolver f) {
          return this;
        }
      };
    }
  }
}
