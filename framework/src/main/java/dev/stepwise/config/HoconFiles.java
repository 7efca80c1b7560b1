package dev.stepwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses one HOCON file without resolving it: substitutions ({@code ${...}}) stay in place and
 * are resolved once, after composition and overrides.
 */
public final class HoconFiles {
  private HoconFiles() {}

  /**
   * @param file a {@code .conf} file
   * @return its unresolved content; every value's origin carries the file's absolute path and line
   * @throws UserError when the file is missing or has a syntax error (message has file:line)
   */
  public static Config parse(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs)) throw new UserError("Config file not found: " + Origins.relative(abs.toString()));
    try {
      ConfigParseOptions opts = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false);
      return ConfigFactory.parseFile(abs.toFile(), opts);
    } catch (ConfigException e) {
      throw new UserError("Syntax error in " + Origins.where(e.origin()) + ": " + stripOrigin(e), e);
    }
  }

  /** @return the exception's message without Typesafe's leading "origin: " prefix */
  static String stripOrigin(ConfigException e) {
    String m = e.getMessage();
    if (e.origin() != null) {
      String prefix = e.origin().description() + ": ";
      if (m.startsWith(prefix)) return m.substring(prefix.length());
    }
    return m;
  }
}
