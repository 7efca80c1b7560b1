package dev.stepwise.launch;

import dev.stepwise.model.cpu.CpuDecoding;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code java -jar trainer.jar ...} without {@value CpuDecoding#JVM_FLAG} still gets the Java CPU
 * decoder: the entry point's {@code main} calls {@link #ifNeeded} first, which, when
 * {@link RelaunchPolicy} says so, runs the same command in a child JVM with the flag added.
 *
 * <p>The child gets this JVM's java binary and options ({@link JvmCommand#startedAs}, as sweeps
 * and {@code rerun.sh} do), the same arguments, working directory and environment, plus
 * {@value RelaunchPolicy#CHILD_ENV}{@code =1}; {@code JDK_JAVA_OPTIONS} and
 * {@code JAVA_TOOL_OPTIONS} are left out of its environment because their options are already
 * among this JVM's input arguments. Standard streams, the exit code and SIGTERM/SIGINT/SIGUSR1/SIGHUP pass
 * through ({@link ChildJvm}). Deciding loads neither JMX nor logging for commands that only print
 * ({@link RelaunchPolicy#samples}), and this JVM never starts logback: its one line (re-launching,
 * at INFO) is written to stderr in the console log format.
 */
public final class Relaunch {
  private Relaunch() {}

  private static final String MODULE = "jdk.incubator.vector";

  /**
   * @param main the entry point's main class
   * @param args its command-line arguments
   * @return the child's exit code when the command ran in a child JVM; empty when this JVM should
   *     run it (no re-launch needed, or the child could not be started, which is logged)
   */
  public static OptionalInt ifNeeded(Class<?> main, String[] args) {
    // printing commands (--cfg, --help, ...) return before JMX or logging is loaded: they stay fast
    if (!RelaunchPolicy.samples(args)) return OptionalInt.empty();
    Map<String, String> env = System.getenv();
    List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
    // CpuDecoding.vectorApiPresent() would load CpuDecoding and start logging: ask the module layer
    boolean relaunch = RelaunchPolicy.relaunch(args, env, System.getProperty(CpuDecoding.PROPERTY), jvmArgs,
        ModuleLayer.boot().findModule(MODULE).isPresent(), ModuleFinder.ofSystem().find(MODULE).isPresent());
    if (!relaunch) return OptionalInt.empty();
    List<String> command = command(main, args);
    log("INFO ", "re-launching in a child JVM with " + CpuDecoding.JVM_FLAG + " for the Java CPU decoder ("
        + RelaunchPolicy.NO_RELAUNCH_ENV + "=1 stays in this JVM)");
    try {
      return OptionalInt.of(ChildJvm.run(command, childEnv(env)));
    } catch (IOException e) {
      log("WARN ", "could not re-launch (" + e.getMessage() + "); running in this JVM");
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.of(130);
    }
  }

  /** @return this JVM's command ({@code java OPTIONS -jar JAR} or a class path) with the flag, then {@code args} */
  static List<String> command(Class<?> main, String[] args) {
    List<String> started = JvmCommand.startedAs(main);
    List<String> out = new ArrayList<>();
    out.add(started.get(0));
    out.add(CpuDecoding.JVM_FLAG);
    out.addAll(started.subList(1, started.size()));
    out.addAll(List.of(args));
    return out;
  }

  /**
   * Writes one line to stderr in the console format of {@code logback.xml}: starting logback takes
   * about 0.5 s in this JVM, which only waits for the child (and the child starts its own).
   */
  private static void log(String level, String message) {
    String time = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"));
    System.err.println(time + " " + level + " Relaunch - " + message);
  }

  private static Map<String, String> childEnv(Map<String, String> env) {
    Map<String, String> out = new HashMap<>(env);
    out.remove("JDK_JAVA_OPTIONS");
    out.remove("JAVA_TOOL_OPTIONS");
    out.put(RelaunchPolicy.CHILD_ENV, "1");
    return out;
  }
}
