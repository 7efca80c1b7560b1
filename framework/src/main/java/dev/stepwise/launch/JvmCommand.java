package dev.stepwise.launch;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts this program again in a new JVM: the java binary, this JVM's options,
 * the class path and the main class. Used by the {@code local} and {@code slurm} launchers and
 * by each run's {@code rerun.sh}. The JVM options are this JVM's input arguments, so module
 * options such as {@code --add-modules=jdk.incubator.vector} (the Vector API of the Java CPU
 * decoder, which a jar's manifest cannot add) reach the child JVMs and {@code rerun.sh} exactly
 * when this JVM was started with them.
 *
 * @param java the java executable
 * @param jvmArgs JVM options, e.g. {@code -Xmx4g}, {@code -Dai.djl.offline=true}
 * @param classPath the class path ({@code trainer.jar} when started with {@code -jar})
 * @param mainClass the fully qualified main class
 */
public record JvmCommand(String java, List<String> jvmArgs, String classPath, String mainClass) {

  /**
   * @param main the entry point's main class
   * @return this JVM's java binary, input arguments (debug agents dropped) and class path
   */
  public static JvmCommand current(Class<?> main) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> args = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-javaagent")) args.add(a);
    }
    return new JvmCommand(java, List.copyOf(args), System.getProperty("java.class.path"), main.getName());
  }

  /**
   * @return this JVM's command with the main class taken from {@code sun.java.command} (the
   *     {@code Main-Class} of the jar when started with {@code -jar})
   */
  public static JvmCommand current() {
    String cmd = System.getProperty("sun.java.command", "").strip();
    String first = cmd.isEmpty() ? "" : cmd.split("\\s+")[0];
    String main = first;
    if (first.endsWith(".jar")) {
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(first)) {
        main = jar.getManifest().getMainAttributes().getValue("Main-Class");
      } catch (java.io.IOException | RuntimeException e) {
        main = "unknown.Main";
      }
    }
    JvmCommand c = current(JvmCommand.class);
    return new JvmCommand(c.java(), c.jvmArgs(), c.classPath(), main);
  }

  /**
   * @return the command this JVM was started with, as written: {@code java OPTIONS -jar JAR} when
   *     started from a jar whose manifest names {@code main}, else {@link #argv()} of
   *     {@link #current(Class)}
   */
  public static List<String> startedAs(Class<?> main) {
    JvmCommand c = main == null ? current() : current(main);
    String cmd = System.getProperty("sun.java.command", "").strip();
    String first = cmd.isEmpty() ? "" : cmd.split("\\s+")[0];
    if (first.endsWith(".jar") && first.equals(c.classPath())) {
      List<String> out = new ArrayList<>();
      out.add(c.java());
      out.addAll(c.jvmArgs());
      out.add("-jar");
      out.add(first);
      return out;
    }
    return c.argv();
  }

  /** @return the command as a list: java, options, {@code -cp}, class path, main class */
  public List<String> argv() {
    List<String> out = new ArrayList<>();
    out.add(java);
    out.addAll(jvmArgs);
    out.add("-cp");
    out.add(classPath);
    out.add(mainClass);
    return out;
  }

  /** @return {@code s} quoted for bash (single quotes; embedded quotes escaped) when needed */
  public static String shellQuote(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9_@%+=:,./\\-]+")) return s;
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** @return the words quoted for bash and joined by spaces */
  public static String shellJoin(List<String> words) {
    return String.join(" ", words.stream().map(JvmCommand::shellQuote).toList());
  }
}
