package dev.stepwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders where a config value came from: {@code conf/exp/sft/arith/tiny_sft.conf:12} for file
 * values (relative to the current directory when the file lies below it), or the origin's
 * description, e.g. {@code command line override 'trainer.max_steps=5'}.
 *
 * <p>Origins are Typesafe Config's {@link ConfigOrigin}s, kept through merges and resolution.
 */
public final class Origins {
  private Origins() {}

  /**
   * @param config a composed config (resolved or not)
   * @param path a dotted key such as {@code trainer.max_steps}; list indices are not allowed
   * @return where the value at {@code path} was set, or where its closest existing parent was
   *     set, or {@code "unknown origin"}
   */
  public static String where(Config config, String path) {
    List<Object> segments = ConfigPaths.split(path);
    ConfigValue v = ConfigPaths.deepestExisting(config.root(), segments);
    return v == null ? "unknown origin" : where(v.origin());
  }

  /** @return {@link #where(ConfigOrigin)} of the value's origin */
  public static String where(ConfigValue value) {
    return where(value.origin());
  }

  /**
   * @return {@code file:line} (relative path when below the working directory), {@code file}
   *     when the line is unknown, or the plain description for origins without a file
   */
  public static String where(ConfigOrigin origin) {
    if (origin == null) return "unknown origin";
    if (origin.filename() != null) {
      String file = relative(origin.filename());
      return origin.lineNumber() >= 0 ? file + ":" + origin.lineNumber() : file;
    }
    String d = origin.description();
    String suffix = ": " + origin.lineNumber();
    if (origin.lineNumber() >= 0 && d.endsWith(suffix)) d = d.substring(0, d.length() - suffix.length());
    String cwd = Path.of("").toAbsolutePath().toString() + java.io.File.separator;
    return d.replace(cwd, "");
  }

  /** @return {@code file} relative to the working directory when below it, else unchanged */
  public static String relative(String file) {
    Path p = Path.of(file).toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    return p.startsWith(cwd) && !p.equals(cwd) ? cwd.relativize(p).toString() : file;
  }
}
