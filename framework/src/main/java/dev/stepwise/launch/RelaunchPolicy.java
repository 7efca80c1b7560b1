package dev.stepwise.launch;

import dev.stepwise.model.cpu.CpuDecoding;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether an entry point started without the Vector API module should start itself again with
 * {@value CpuDecoding#JVM_FLAG} ({@link Relaunch}). Pure: every input is a parameter, so the rules
 * are testable without starting a JVM.
 *
 * <p>It re-launches only when the command can sample ({@link #samples}), the decoder property
 * would take the Java decoder ({@code auto}, the default, or {@code java}), neither
 * {@value #NO_RELAUNCH_ENV}{@code =1} nor the child's mark {@value #CHILD_ENV}{@code =1} is in
 * the environment, the module is missing from this JVM but present in its runtime, and no
 * debugger or Java agent is attached (a child would run without them: {@link JvmCommand} drops
 * {@code -agentlib:jdwp} and {@code -javaagent}).
 */
public final class RelaunchPolicy {
  private RelaunchPolicy() {}

  /** Environment variable that keeps an entry point in its own JVM when set to {@code 1}. */
  public static final String NO_RELAUNCH_ENV = "STEPWISE_NO_RELAUNCH";

  /** Environment variable set to {@code 1} in the re-launched child, so it never re-launches. */
  public static final String CHILD_ENV = "STEPWISE_RELAUNCHED";

  /** Options of {@code dev.stepwise.cli.Cli} that take the next word as their value. */
  private static final Set<String> VALUE_OPTIONS = Set.of(
      "-cp", "--config-path", "-cn", "--config-name", "--config-root", "-cd", "--config-dir", "--resume");

  /**
   * @param args the entry point's command-line arguments
   * @return false for commands that only print and never sample: {@code -h}/{@code --help},
   *     {@code --cfg}, {@code --info}, {@code --origins} (an option value such as the word after
   *     {@code -cn} is not taken for an option)
   */
  public static boolean samples(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (VALUE_OPTIONS.contains(a)) {
        i++;
      } else if (a.equals("-h") || a.equals("--help") || a.equals("--origins")
          || a.equals("--cfg") || a.startsWith("--cfg=") || a.equals("--info") || a.startsWith("--info=")) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param args the entry point's command-line arguments
   * @param env the environment
   * @param decoder the value of the system property {@value CpuDecoding#PROPERTY}, or null
   * @param jvmArgs this JVM's input arguments
   * @param vectorPresent whether this JVM resolved the Vector API module
   * @param vectorAvailable whether this Java runtime has the module at all
   * @return whether to run the command in a child JVM with {@value CpuDecoding#JVM_FLAG}
   */
  public static boolean relaunch(String[] args, Map<String, String> env, String decoder, List<String> jvmArgs,
      boolean vectorPresent, boolean vectorAvailable) {
    if (!samples(args) || "1".equals(env.get(NO_RELAUNCH_ENV)) || "1".equals(env.get(CHILD_ENV))) return false;
    String d = decoder == null ? "auto" : decoder.trim().toLowerCase(Locale.ROOT);
    if (!d.equals("auto") && !d.equals("java")) return false;
    if (jvmArgs.stream().anyMatch(a -> a.startsWith("-agentlib:jdwp") || a.startsWith("-javaagent"))) return false;
    return !vectorPresent && vectorAvailable;
  }
}
