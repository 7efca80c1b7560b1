package dev.stepwise.launch;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;

/**
 * Runs a command as a child process that stands in for this JVM: standard input, output and
 * error are inherited; SIGTERM, SIGINT, SIGUSR1 and SIGHUP sent to this JVM are forwarded to the
 * child as the same signal (with {@code kill -<SIG> <pid>}) while this JVM keeps waiting, so the
 * child's own stop path ({@link dev.stepwise.run.StopSignals}) runs and its exit code (143 for
 * SIGTERM, 130 for SIGINT) becomes this JVM's. Should this JVM shut down anyway ({@code
 * System.exit} elsewhere, a signal that could not be handled), a shutdown hook sends the child
 * SIGTERM and waits for it to end.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** The signals forwarded to the child. */
  static final List<String> FORWARDED = List.of("TERM", "INT", "USR1", "HUP");

  /**
   * @param command the command line
   * @param env the child's complete environment
   * @return the child's exit code (128 + the signal number when a signal ended it)
   * @throws IOException when the command cannot be started
   * @throws InterruptedException when this thread is interrupted while waiting
   */
  public static int run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().clear();
    pb.environment().putAll(env);
    Process child = pb.start();
    for (String name : FORWARDED) {
      try {
        Signal.handle(new Signal(name), s -> forward(child, s.getName()));
      } catch (IllegalArgumentException unavailable) {
        // this JVM may not handle it (e.g. started with -Xrs): the shutdown hook below still applies
      }
    }
    Thread hook = new Thread(() -> {
      if (child.isAlive()) {
        child.destroy();
        try {
          child.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "stepwise-relaunch-forward");
    Runtime.getRuntime().addShutdownHook(hook);
    return child.waitFor();
  }

  private static void forward(Process child, String signal) {
    if (!child.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(child.pid())).inheritIO().start().waitFor();
    } catch (IOException e) {
      child.destroy(); // no kill(1): SIGTERM through the JDK
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
