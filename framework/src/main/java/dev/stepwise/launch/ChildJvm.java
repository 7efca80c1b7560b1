package dev.stepwise.launch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Runs a command as a child process that stands in for this JVM: standard input, output and
 * error are inherited, and when this JVM shuts down on a signal (SIGTERM, SIGINT: Ctrl-C) a
 * shutdown hook sends the child SIGTERM and waits for it to end, so the child's own shutdown
 * hooks run before this JVM exits.
 */
public final class ChildJvm {
  private ChildJvm() {}

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
}
