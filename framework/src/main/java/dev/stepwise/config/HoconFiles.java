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

  /**
   * Reads Hydra's package header: a comment line {@code # @package PKG} (or {@code // @package})
   * among the comments at the top of the file.
   *
   * @param file a {@code .conf} file
   * @return {@code PKG} as written ({@code _global_}, {@code _group_}, {@code a.b}), or null
   */
  public static String packageHeader(Path file) {
    try (java.io.BufferedReader r = Files.newBufferedReader(file)) {
      for (String line; (line = r.readLine()) != null; ) {
        String t = line.strip();
        if (t.isEmpty()) continue;
        if (!t.startsWith("#") && !t.startsWith("//")) return null;
        java.util.regex.Matcher m = HEADER.matcher(t);
        if (m.matches()) return m.group(1);
      }
      return null;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final java.util.regex.Pattern HEADER =
      java.util.regex.Pattern.compile("(?:#|//)\\s*@package\\s+(\\S+)\\s*");

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
